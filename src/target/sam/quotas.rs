//! What IAM and Lambda will count for each Function once SAM has translated the template:
//! the managed policies on its role, the characters of the role's inline policies, and the
//! bytes of its environment variables. `check` compares them against the quotas in
//! [`crate::limits`] before anything is written.
//!
//! A value CloudFormation resolves at deploy time is counted at the length it resolves to, with
//! what is unknown before the deployment at a stated length: the stack's name at
//! [`STACK_NAME_ROOM`] characters (as elsewhere in stackwire), the Region at the longest
//! commercial Region's name (`ap-southeast-5`, 14), the account at 12 digits, the partition
//! `aws`, a stream name CloudFormation generates as `<stack>-<LogicalId>-<12 characters>` (its
//! scheme), and an ARN read from a parameter at a stream ARN with a name of
//! [`MAX_STREAM_NAME`] characters.

use foldhash::{HashMap, HashMapExt};

use crate::aws::policy::{PARAMETER_PREFIX, PLACEHOLDER, substituted_whole};
use crate::aws::{Json, PolicyTemplate, policy_templates};
use crate::format::model::{Body, Existing, Resource};
use crate::limits::{MAX_STREAM_NAME, STACK_NAME_ROOM};
use crate::plan::Plan;
use crate::target::FunctionQuotas;
use crate::target::cloudformation::expand::{Expansions, managed_policy};
use crate::template::Value;

const REGION: usize = "ap-southeast-5".len();
const ACCOUNT: usize = 12;
const PARTITION: usize = "aws".len();
/// `arn:aws:kinesis:<region>:<account>:stream/`
const STREAM_ARN_PREFIX: usize = "arn::kinesis:::stream/".len() + PARTITION + REGION + ACCOUNT;

/// Each Function's counts, in stack order.
pub fn measure(plan: &Plan<'_>, template: &Value) -> Vec<FunctionQuotas> {
    measure_keeping(plan, template, None)
}

/// [`measure`], keeping in `keep` each policy template it expands, for the CloudFormation
/// target's expansion to write instead of expanding it again.
pub fn measure_keeping(
    plan: &Plan<'_>,
    template: &Value,
    mut keep: Option<&mut Expansions>,
) -> Vec<FunctionQuotas> {
    let Value::Map(root) = template else {
        return Vec::new();
    };
    let Some(Value::Map(resources)) = root.get("Resources") else {
        return Vec::new();
    };
    // The stack's resources by Logical ID, for the references the policies make.
    let mut by_id: HashMap<&str, &Resource> = HashMap::with_capacity(plan.stack.resources.len());
    for r in &plan.stack.resources {
        by_id.entry(r.id.value.as_str()).or_insert(r);
    }
    let iam = Sizer {
        by_id: &by_id,
        iam: true,
    };
    let lambda = Sizer {
        by_id: &by_id,
        iam: false,
    };
    let mut out = Vec::new();
    for (i, r) in plan.stack.resources.iter().enumerate() {
        let Body::Function(f) = &r.body else { continue };
        let Some(Value::Map(resource)) = resources.get(r.id.value.as_str()) else {
            continue;
        };
        let Some(Value::Map(props)) = resource.get("Properties") else {
            continue;
        };
        let policies: &[Value] = match props.get("Policies") {
            Some(Value::Seq(p)) => p,
            _ => &[],
        };
        let tracing = f.tracing.as_ref().is_some_and(|t| t.value);
        let vpc = props.contains_key("VpcConfig");
        let managed = managed_policies(policies, !plan.events[i].is_empty(), tracing, vpc);
        let mut inline_chars = 0;
        for (n, policy) in policies.iter().enumerate() {
            // Without a caller to keep the expansion, a policy template is sized from its
            // definition, nothing built.
            if keep.is_none()
                && let Some(chars) = template_chars(&iam, policy)
            {
                inline_chars += chars;
                continue;
            }
            inline_chars += match inline_document(policy) {
                Some(Inline::Document(doc)) => iam.len(doc),
                Some(Inline::Template(statements)) => {
                    // `{"Statement": [...]}`: the braces, the quoted key, its colon.
                    let chars = 2 + 3 + "Statement".len() + iam.len(&statements);
                    if let (Some(keep), Value::Seq(statements)) = (keep.as_deref_mut(), statements)
                    {
                        keep.insert(&r.id.value, n, statements);
                    }
                    chars
                }
                None => 0,
            };
        }
        let environment_bytes = match props.get("Environment") {
            Some(Value::Map(e)) => match e.get("Variables") {
                Some(Value::Map(vars)) => vars.iter().map(|(k, v)| k.len() + lambda.len(v)).sum(),
                _ => 0,
            },
            _ => 0,
        };
        out.push(FunctionQuotas {
            function: i,
            managed,
            inline_chars,
            environment_bytes,
        });
    }
    out
}

/// The managed policies SAM attaches to a Function's role: `AWSLambdaBasicExecutionRole`
/// always, `AWSLambdaKinesisExecutionRole` with a Kinesis event, `AWSXrayWriteOnlyAccess` with
/// tracing, `AWSLambdaVPCAccessExecutionRole` with a `VpcConfig`, and each distinct managed
/// policy of `Policies` (a name, an ARN or an intrinsic function that gives one, as
/// [`managed_policy`] tells them from policy templates and inline documents).
pub fn managed_policies(
    policies: &[Value],
    kinesis_event: bool,
    tracing: bool,
    vpc: bool,
) -> usize {
    let mut named: Vec<Value> = Vec::new();
    for arn in policies.iter().filter_map(managed_policy) {
        if !named.contains(&arn) {
            named.push(arn);
        }
    }
    1 + usize::from(kinesis_event) + usize::from(tracing) + usize::from(vpc) + named.len()
}

/// The inline policy document SAM writes for an entry of `Policies`: the entry itself for a
/// document (`Statement`), `{Statement: <expansion>}` for a policy template (its statements
/// given as a list); `None` for a managed policy.
fn inline_document(policy: &Value) -> Option<Inline<'_>> {
    let Value::Map(m) = policy else { return None };
    if m.contains_key("Statement") {
        return Some(Inline::Document(policy));
    }
    let (name, params) = m.first()?;
    let empty = crate::template::Map::new();
    let params = match params {
        Value::Map(p) => p,
        _ => &empty,
    };
    let statements = crate::aws::policy::expand(name, params).ok()?;
    Some(Inline::Template(Value::Seq(statements)))
}

/// The characters [`inline_document`]'s expansion of a policy template counts as, reckoned from
/// the template's definition without building it; `None` for anything else, and for a template
/// whose parameter values the translator would search for more parameters (a mapping, a list, an
/// intrinsic function holding values): those are expanded.
fn template_chars(iam: &Sizer<'_, '_>, policy: &Value) -> Option<usize> {
    let Value::Map(m) = policy else { return None };
    if m.contains_key("Statement") {
        return None;
    }
    let (name, params) = m.first()?;
    let empty = crate::template::Map::new();
    let params = match params {
        Value::Map(p) => p,
        _ => &empty,
    };
    // What expansion refuses (an unknown template, a parameter without a value) counts nothing.
    let Some(template) = policy_templates::find(name) else {
        return Some(0);
    };
    definition_chars(iam, template, params)
}

/// [`template_chars`] of `template` with `params`.
fn definition_chars(
    iam: &Sizer<'_, '_>,
    template: &'static PolicyTemplate,
    params: &crate::template::Map,
) -> Option<usize> {
    let mut values = Vec::with_capacity(template.parameters.len());
    for (parameter, _) in template.parameters {
        let Some(value) = params.get(parameter) else {
            return Some(0);
        };
        if !substituted_whole(value) {
            return None;
        }
        // A placeholder is not substituted: the renamed `Ref` stays.
        if !matches!(value, Value::Str(s) if s.starts_with(PLACEHOLDER)) {
            values.push((*parameter, value));
        }
    }
    let definition = Definition { sizer: iam, values };
    // `{"Statement": [...]}`: the braces, the quoted key, its colon.
    Some(2 + 3 + "Statement".len() + definition.seq(template.statement))
}

/// A policy template's definition as the translator resolves it (see [`crate::aws::policy`]),
/// sized as [`Sizer`] sizes the value the expansion builds.
struct Definition<'s, 'p, 'a, 'v> {
    sizer: &'s Sizer<'p, 'a>,
    /// The parameters substituted, each with its value (a leaf: substituted as it is).
    values: Vec<(&'static str, &'v Value)>,
}

/// What the expansion builds for one node of a definition.
enum Built<'v> {
    /// Text (`Value::Str`).
    Str(&'static str),
    /// The text of a renamed parameter, `___SAM_POLICY_PARAMETER_<name>` (`Value::Str`).
    Renamed(&'static str),
    /// `Value::Ref` to a renamed parameter.
    RenamedRef(&'static str),
    /// `Value::Sub`.
    Sub(&'static str),
    Seq(&'static [Json]),
    Map(&'static [(&'static str, Json)]),
    /// A parameter's value, substituted.
    Value(&'v Value),
}

impl<'v> Definition<'_, '_, '_, 'v> {
    /// What [`crate::aws::policy`]'s `definition` builds for `node` (the value of `key`, when it
    /// is a mapping's entry).
    fn built(&self, key: Option<&str>, node: &'static Json) -> Built<'v> {
        match node {
            Json::Str(name) if key == Some("Ref") => Built::Renamed(name),
            Json::Str(s) => Built::Str(s),
            Json::Seq(items) => Built::Seq(items),
            Json::Map([("Ref", Json::Str(name))]) => {
                match self.values.iter().find(|(p, _)| p == name) {
                    Some((_, value)) => Built::Value(value),
                    None => Built::RenamedRef(name),
                }
            }
            Json::Map([("Fn::Sub", Json::Str(text))]) => Built::Sub(text),
            Json::Map(entries) => Built::Map(entries),
        }
    }

    /// [`Sizer::len`] of what is built.
    fn len(&self, built: &Built<'_>) -> usize {
        let sizer = self.sizer;
        match built {
            Built::Str(s) => sizer.text(s),
            Built::Renamed(name) => sizer.text(PARAMETER_PREFIX) + sizer.text(name),
            Built::RenamedRef(name) => sizer.reference(&format!("{PARAMETER_PREFIX}{name}")),
            Built::Sub(text) => sizer.sub(text, &|_| None),
            Built::Seq(items) => self.seq(items),
            Built::Map(entries) => {
                if let Some(resolved) = self.long_form(entries) {
                    return resolved;
                }
                2 + entries
                    .iter()
                    .map(|(k, v)| 3 + sizer.text(k) + self.json(&self.built(Some(k), v)))
                    .sum::<usize>()
                    + entries.len().saturating_sub(1)
            }
            Built::Value(value) => sizer.len(value),
        }
    }

    /// [`Sizer::json`] of what is built.
    fn json(&self, built: &Built<'_>) -> usize {
        match built {
            Built::Seq(_) | Built::Map(_) => self.len(built),
            Built::Value(value) => self.sizer.json(value),
            Built::Str(_) | Built::Renamed(_) | Built::RenamedRef(_) | Built::Sub(_) => {
                2 + self.len(built)
            }
        }
    }

    fn seq(&self, items: &'static [Json]) -> usize {
        2 + items
            .iter()
            .map(|i| self.json(&self.built(None, i)))
            .sum::<usize>()
            + items.len().saturating_sub(1)
    }

    /// [`Sizer::long_form`] of a mapping built from `entries`: `{"Fn::Sub": [text, {variables}]}`
    /// or `{"Fn::Sub": text}` (the text a parameter's value).
    fn long_form(&self, entries: &'static [(&'static str, Json)]) -> Option<usize> {
        let [("Fn::Sub", value)] = entries else {
            return None;
        };
        match self.built(Some("Fn::Sub"), value) {
            Built::Seq([first, second]) => {
                let text = match self.built(None, first) {
                    Built::Str(s) => s,
                    Built::Value(Value::Str(s)) => s.as_str(),
                    _ => return None,
                };
                let Built::Map(vars) = self.built(None, second) else {
                    return None;
                };
                let var = |name: &str| {
                    // The last of a repeated key, as the built mapping keeps it.
                    vars.iter()
                        .rfind(|(k, _)| *k == name)
                        .map(|(k, v)| self.len(&self.built(Some(k), v)))
                };
                Some(self.sizer.sub(text, &var))
            }
            Built::Value(Value::Str(text)) => Some(self.sizer.sub(text, &|_| None)),
            _ => None,
        }
    }
}

/// Whether every byte of `bytes` is one character as IAM counts them: ASCII that is not
/// whitespace, a control, a quote or a backslash (nearly all text), tested 16 bytes at a time.
fn all_plain(bytes: &[u8]) -> bool {
    let special = |b: u8| (b <= b' ') | (b == b'"') | (b == b'\\') | (b >= 0x80);
    let mut chunks = bytes.chunks_exact(16);
    for chunk in &mut chunks {
        if chunk.iter().fold(false, |any, &b| any | special(b)) {
            return false;
        }
    }
    !chunks.remainder().iter().any(|&b| special(b))
}

/// Where the first `${` of `text` is.
fn find_sub(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut from = 0;
    while let Some(i) = memchr::memchr(b'$', bytes.get(from..)?) {
        let at = from + i;
        if bytes.get(at + 1) == Some(&b'{') {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

enum Inline<'a> {
    /// A policy document as it is written.
    Document(&'a Value),
    /// A policy template's statements, a `Value::Seq`.
    Template(Value),
}

struct Sizer<'p, 'a> {
    /// The stack's resources by Logical ID (the first of each).
    by_id: &'p HashMap<&'a str, &'a Resource>,
    /// Counting as IAM counts a policy (characters, whitespace not counted), else as Lambda
    /// counts an environment (bytes).
    iam: bool,
}

impl Sizer<'_, '_> {
    /// The characters of `v` written as compact JSON once resolved, whitespace not counted (as
    /// IAM counts a policy's size); for an environment variable, the value's length.
    fn len(&self, v: &Value) -> usize {
        match v {
            Value::Str(s) => self.text(s),
            Value::Int(i) => i.to_string().len(),
            Value::Bool(b) => {
                if *b {
                    4
                } else {
                    5
                }
            }
            Value::Seq(items) => {
                2 + items.iter().map(|x| self.json(x)).sum::<usize>()
                    + items.len().saturating_sub(1)
            }
            Value::Map(m) => {
                if let Some(resolved) = self.long_form(m) {
                    return resolved;
                }
                2 + m
                    .iter()
                    .map(|(k, x)| 3 + self.text(k) + self.json(x))
                    .sum::<usize>()
                    + m.len().saturating_sub(1)
            }
            Value::Ref(name) => self.reference(name),
            Value::GetAtt(path) => self.attribute(path),
            Value::Sub(text) => self.sub(text, &|_| None),
            Value::If(_, a, b) => self.len(a).max(self.len(b)),
            // The name part of a stream ARN: at most the whole.
            Value::Select(_, inner) => self.len(inner),
            Value::Split(_, inner) => self.len(inner),
            Value::Equals(..) => 5,
            Value::Plain(text) => text.len(),
            Value::Null => 4,
            // `!FindInMap`, `!ImportValue`, `!Base64`, ...: known only at deploy time, and counted
            // as nothing, so a value stackwire cannot size never makes it refuse a stack.
            Value::Tagged(..) => 0,
            Value::Join(join) => {
                let (d, parts) = &**join;
                parts.iter().map(|p| self.len(p)).sum::<usize>()
                    + d.len() * parts.len().saturating_sub(1)
            }
        }
    }

    /// `len` inside JSON: a string value with its quotes.
    fn json(&self, v: &Value) -> usize {
        match v {
            Value::Seq(_)
            | Value::Map(_)
            | Value::Int(_)
            | Value::Bool(_)
            | Value::Plain(_)
            | Value::Null => self.len(v),
            _ => 2 + self.len(v),
        }
    }

    /// Characters other than whitespace, with JSON's escapes.
    fn text(&self, s: &str) -> usize {
        if !self.iam || all_plain(s.as_bytes()) {
            return s.len();
        }
        if s.is_ascii() {
            // Branch-free per byte, so the compiler can count many bytes at once.
            return s
                .bytes()
                .map(|b| {
                    // JSON's whitespace, and the rest of what `char::is_whitespace` counts in
                    // ASCII: nothing.
                    let space = (b == b' ') | (b'\t'..=b'\r').contains(&b);
                    let escaped = (b == b'"') | (b == b'\\');
                    let control = (b < 0x20) & !space;
                    usize::from(!space) + usize::from(escaped) + 5 * usize::from(control)
                })
                .sum();
        }
        s.chars()
            .filter(|c| !c.is_whitespace())
            .map(|c| match c {
                '"' | '\\' => 2,
                c if u32::from(c) < 0x20 => 6,
                _ => 1,
            })
            .sum()
    }

    /// `{"Fn::Sub": [text, {variables}]}`, the long form a policy template leaves.
    fn long_form(&self, m: &crate::template::Map) -> Option<usize> {
        if m.len() != 1 {
            return None;
        }
        match m.get("Fn::Sub")? {
            Value::Seq(parts) => match parts.as_slice() {
                [Value::Str(text), Value::Map(vars)] => {
                    Some(self.sub(text, &|name| vars.get(name).map(|v| self.len(v))))
                }
                _ => None,
            },
            Value::Str(text) => Some(self.sub(text, &|_| None)),
            _ => None,
        }
    }

    /// `!Sub` text, each `${name}` counted as `var` sizes it, else as the name it refers to.
    fn sub(&self, text: &str, var: &dyn Fn(&str) -> Option<usize>) -> usize {
        let mut total = 0;
        let mut rest = text;
        while let Some(at) = find_sub(rest) {
            total += self.text(&rest[..at]);
            let after = &rest[at + 2..];
            let Some(end) = memchr::memchr(b'}', after.as_bytes()) else {
                total += self.text(&rest[at..]);
                return total;
            };
            let name = &after[..end];
            total += match var(name) {
                Some(len) => len,
                None if name.contains('.') && !name.starts_with("AWS::") => self.attribute(name),
                None => self.reference(name),
            };
            rest = &after[end + 1..];
        }
        total + self.text(rest)
    }

    fn reference(&self, name: &str) -> usize {
        match name {
            "AWS::Region" => REGION,
            "AWS::AccountId" => ACCOUNT,
            "AWS::Partition" => PARTITION,
            "AWS::StackName" => STACK_NAME_ROOM,
            "AWS::URLSuffix" => "amazonaws.com".len(),
            _ => match self.stream(name) {
                Some(len) => len,
                // A parameter: an existing stream's ARN.
                None => STREAM_ARN_PREFIX + MAX_STREAM_NAME,
            },
        }
    }

    fn attribute(&self, path: &str) -> usize {
        let (id, attr) = path.split_once('.').unwrap_or((path, ""));
        match (self.stream(id), attr) {
            (Some(name), _) => STREAM_ARN_PREFIX + name,
            // A fan-out consumer: `<stream ARN>/consumer/<name>:<timestamp>`, its name
            // `${AWS::StackName}-<Function>`.
            (None, "ConsumerARN") => {
                STREAM_ARN_PREFIX + MAX_STREAM_NAME + "/consumer/:".len() + MAX_STREAM_NAME + 10
            }
            _ => STREAM_ARN_PREFIX + MAX_STREAM_NAME,
        }
    }

    /// The name length of the stream the stack creates as `id`.
    fn stream(&self, id: &str) -> Option<usize> {
        let r = self.by_id.get(id)?;
        let Body::Stream(s) = &r.body else {
            return None;
        };
        if matches!(
            s.existing.as_ref().map(|e| &e.value),
            Some(Existing::Arn(_) | Existing::Env(_))
        ) {
            return None;
        }
        Some(match &s.name {
            Some(n) => self.sub(&n.value, &|_| None),
            None => (STACK_NAME_ROOM + 1 + id.len() + 13).min(MAX_STREAM_NAME),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn managed_policies_count_what_sam_attaches() {
        let named = [
            Value::str("arn:aws:iam::aws:policy/ReadOnlyAccess"),
            Value::map([("Statement", Value::Seq(vec![]))]),
        ];
        assert_eq!(managed_policies(&[], false, false, false), 1);
        assert_eq!(managed_policies(&named, true, false, false), 3);
        assert_eq!(managed_policies(&named, true, true, false), 4);
        assert_eq!(managed_policies(&named, true, true, true), 5);
        // A name and its ARN are one policy; an intrinsic function gives a managed policy.
        let twice = [
            Value::str("ReadOnlyAccess"),
            Value::str("arn:aws:iam::aws:policy/ReadOnlyAccess"),
            Value::Ref("BoundaryPolicyArn".into()),
            Value::map([(
                "SQSPollerPolicy",
                Value::map([("QueueName", Value::str("q"))]),
            )]),
        ];
        assert_eq!(managed_policies(&twice, false, false, false), 3);
    }

    /// What a policy template counts as when expanded and sized: the measure's other way.
    fn expanded_chars(iam: &Sizer<'_, '_>, policy: &Value) -> usize {
        match inline_document(policy) {
            Some(Inline::Template(statements)) => 2 + 3 + "Statement".len() + iam.len(&statements),
            Some(Inline::Document(doc)) => iam.len(doc),
            None => 0,
        }
    }

    #[test]
    fn a_policy_template_sized_from_its_definition_counts_what_its_expansion_counts() {
        let by_id = HashMap::new();
        let iam = Sizer {
            by_id: &by_id,
            iam: true,
        };
        let values = [
            Value::Ref("Orders".into()),
            Value::Ref("AWS::Region".into()),
            Value::Ref(format!("{PARAMETER_PREFIX}Other")),
            Value::str("my-table"),
            Value::str("with \"quotes\" and spaces"),
            Value::str(format!("{PLACEHOLDER}x/Y.Outputs.Z/Fn::GetAtt}}}}")),
            Value::GetAtt("Orders.Arn".into()),
            Value::Sub("${AWS::StackName}-orders".into()),
            Value::Int(12),
            Value::Bool(true),
            Value::Null,
            Value::Plain("1.5".into()),
        ];
        assert!(policy_templates::TEMPLATES.len() > 50);
        for template in policy_templates::TEMPLATES {
            for value in &values {
                let params: crate::template::Map = template
                    .parameters
                    .iter()
                    .map(|(name, _)| (*name, value.clone()))
                    .collect();
                let policy = Value::map([(template.name, Value::Map(params))]);
                let direct = template_chars(&iam, &policy);
                assert_eq!(
                    direct,
                    Some(expanded_chars(&iam, &policy)),
                    "{} with {value:?}",
                    template.name
                );
            }
            // A parameter without a value: the expansion fails, and nothing is counted.
            if !template.parameters.is_empty() {
                let policy = Value::map([(template.name, Value::Map(Default::default()))]);
                assert_eq!(template_chars(&iam, &policy), Some(0));
                assert_eq!(expanded_chars(&iam, &policy), 0);
            }
        }
        // A value the translator searches for more parameters is left to the expansion.
        let nested = Value::map([("Ref", Value::str("x"))]);
        let policy = Value::map([("KinesisCrudPolicy", Value::map([("StreamName", nested)]))]);
        assert_eq!(template_chars(&iam, &policy), None);
        // An unknown template counts nothing, either way.
        let unknown = Value::map([("NoSuchPolicy", Value::map([("A", Value::str("b"))]))]);
        assert_eq!(template_chars(&iam, &unknown), Some(0));
        assert_eq!(expanded_chars(&iam, &unknown), 0);
    }

    /// Shapes a definition may have that the catalogue has none of today, each sized as its
    /// expansion is.
    #[test]
    fn every_shape_of_a_definition_is_sized_as_its_expansion() {
        static TEMPLATE: PolicyTemplate = PolicyTemplate {
            name: "Shapes",
            description: "",
            parameters: &[("P", ""), ("Q", "")],
            statement: &[
                // `Ref` beside another key: the renamed parameter's name, as text.
                Json::Map(&[("Ref", Json::Str("P")), ("Other", Json::Str("x y"))]),
                // `Fn::Sub` of a parameter's value, alone and with variables.
                Json::Map(&[("Fn::Sub", Json::Map(&[("Ref", Json::Str("P"))]))]),
                Json::Map(&[(
                    "Fn::Sub",
                    Json::Seq(&[
                        Json::Map(&[("Ref", Json::Str("Q"))]),
                        Json::Map(&[
                            ("a", Json::Map(&[("Ref", Json::Str("P"))])),
                            ("b", Json::Seq(&[Json::Str("1"), Json::Str("2")])),
                            ("a", Json::Str("later")),
                        ]),
                    ]),
                )]),
                // A `Ref` to a name that is not a parameter: renamed, and left.
                Json::Seq(&[Json::Map(&[("Ref", Json::Str("R"))]), Json::Seq(&[])]),
                Json::Map(&[("Fn::Sub", Json::Str("${AWS::Region}:${Other}"))]),
            ],
        };
        let by_id = HashMap::new();
        let iam = Sizer {
            by_id: &by_id,
            iam: true,
        };
        let texts = [
            "arn:${AWS::Partition}:s3:::${a}/${b}",
            "plain \\ text",
            "${a}${a}${missing}",
        ];
        for p in texts {
            for q in texts {
                let params =
                    crate::template::Map::from_iter([("P", Value::str(p)), ("Q", Value::str(q))]);
                let expanded = match crate::aws::policy::expand_template(&TEMPLATE, &params) {
                    Ok(statements) => 2 + 3 + "Statement".len() + iam.len(&Value::Seq(statements)),
                    Err(e) => panic!("{e}"),
                };
                assert_eq!(
                    definition_chars(&iam, &TEMPLATE, &params),
                    Some(expanded),
                    "{p} / {q}"
                );
            }
        }
    }

    #[test]
    fn text_is_counted_as_iam_counts_it() {
        let by_id = HashMap::new();
        let iam = Sizer {
            by_id: &by_id,
            iam: true,
        };
        // Every byte of plain text is one character, however long.
        let plain = "arn:aws:kinesis:us-east-1:123456789012:stream/orders-0123456789";
        assert!(all_plain(plain.as_bytes()));
        assert_eq!(iam.text(plain), plain.len());
        // Whitespace counts nothing, a quote or backslash two, a control six, wherever it is.
        for at in [0, 15, 16, 17, 40] {
            for (c, counts) in [
                (" ", 0),
                ("\n", 0),
                ("\"", 2),
                ("\\", 2),
                ("\u{1}", 6),
                ("é", 1),
            ] {
                let text = format!("{}{c}{}", &plain[..at], &plain[at..]);
                assert!(!all_plain(text.as_bytes()), "{text:?}");
                assert_eq!(iam.text(&text), plain.len() + counts, "{text:?}");
            }
        }
        assert_eq!(find_sub("a$b${c}"), Some(3));
        assert_eq!(find_sub("$$"), None);
        assert_eq!(find_sub("x$"), None);
        assert_eq!(
            iam.sub("$x-${AWS::Region}$", &|_| None),
            3 + "ap-southeast-5".len() + 1
        );
    }
}
