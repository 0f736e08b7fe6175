//! SAM policy templates expanded into the statements the SAM translator writes.
//!
//! `Policies: [{KinesisCrudPolicy: {StreamName: !Ref S}}]` on an `AWS::Serverless::Function`
//! becomes, once translated, an inline policy of the function's role whose `PolicyDocument` is
//! `{Statement: expand("KinesisCrudPolicy", {StreamName: !Ref S})}`. [`expand`] does what
//! aws-sam-translator's `Template.to_statement` does (`samtranslator/policy_template_processor`),
//! step for step:
//!
//! 1. Every parameter the template declares must have a value; values for parameters it does
//!    not declare are ignored.
//! 2. In the template's definition, every `{"Ref": text}` (in any mapping holding a `Ref` to
//!    text) is renamed to `___SAM_POLICY_PARAMETER_<text>`, so that a parameter's value that
//!    refers to a stack parameter of the same name is not substituted again.
//! 3. A mapping that is `Ref` alone, to a renamed parameter that has a value, is replaced by that
//!    value, and the value's own contents are then searched the same way (a `Ref` inside it to a
//!    renamed name is replaced in turn; a value that leads back to itself is an error, where the
//!    translator recurses without end). A value that is text beginning with
//!    `{{IntrinsicFunction:` (CloudFormation's placeholder for a nested stack's output that does
//!    not exist yet) is not substituted, and the renamed `Ref` stays.
//!
//! The result is in [`crate::template::Value`]: `{"Ref": x}` becomes `Value::Ref`, `{"Fn::Sub":
//! text}` becomes `Value::Sub`, and any other mapping (`{"Fn::Sub": [text, variables]}`, which the
//! template model has no variant for) stays a `Value::Map` of its long form, which means the same
//! to CloudFormation.

use std::fmt;

use super::{Json, PolicyTemplate, policy_templates};
use crate::template::{Map, Value};

/// What the translator puts before each of a template's parameter names (step 2).
pub const PARAMETER_PREFIX: &str = "___SAM_POLICY_PARAMETER_";

/// A value that CloudFormation has not resolved yet, which the translator leaves alone.
pub const PLACEHOLDER: &str = "{{IntrinsicFunction:";

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExpandError {
    /// No SAM policy template has this name.
    UnknownTemplate(String),
    /// The template declares parameters that were given no value (sorted).
    MissingParameters {
        template: &'static str,
        missing: Vec<&'static str>,
    },
    /// A parameter's value refers, through `Ref`s to renamed parameters, back to itself.
    Endless {
        template: &'static str,
        parameter: &'static str,
    },
}

impl fmt::Display for ExpandError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ExpandError::UnknownTemplate(name) => {
                write!(f, "no SAM policy template is called `{name}`")
            }
            // The translator's own words (InsufficientParameterValues).
            ExpandError::MissingParameters { template, missing } => {
                let names: Vec<String> = missing.iter().map(|m| format!("'{m}'")).collect();
                write!(
                    f,
                    "Following required parameters of template '{template}' don't have values: [{}]",
                    names.join(", ")
                )
            }
            ExpandError::Endless {
                template,
                parameter,
            } => write!(
                f,
                "the value of parameter '{parameter}' of policy template '{template}' refers back to itself"
            ),
        }
    }
}

impl std::error::Error for ExpandError {}

/// The statements that SAM policy template `name` expands to with `params` (the mapping under the
/// template's name in `Policies`), exactly as the translator writes them.
pub fn expand(name: &str, params: &Map) -> Result<Vec<Value>, ExpandError> {
    let template = policy_templates::find(name)
        .ok_or_else(|| ExpandError::UnknownTemplate(name.to_owned()))?;
    expand_template(template, params)
}

/// [`expand`] for a template already looked up.
pub fn expand_template(
    template: &'static PolicyTemplate,
    params: &Map,
) -> Result<Vec<Value>, ExpandError> {
    let mut missing: Vec<&'static str> = template
        .parameters
        .iter()
        .map(|(name, _)| *name)
        .filter(|name| !params.contains_key(name))
        .collect();
    if !missing.is_empty() {
        missing.sort_unstable();
        return Err(ExpandError::MissingParameters {
            template: template.name,
            missing,
        });
    }
    // Only the declared parameters (each known by its renamed name, the prefix and its own).
    let values = template
        .parameters
        .iter()
        .filter_map(|(name, _)| Some((*name, params.get(name)?)))
        .collect();
    let resolver = Resolver { template, values };
    template
        .statement
        .iter()
        .map(|s| resolver.definition(s))
        .collect()
}

/// Whether a parameter's value is substituted as it is, nothing in it searched: text, a number,
/// a boolean, null, and the intrinsic functions that hold only text (`Ref`, `GetAtt`, `Sub`).
pub fn substituted_whole(value: &Value) -> bool {
    matches!(
        value,
        Value::Str(_)
            | Value::Int(_)
            | Value::Bool(_)
            | Value::Plain(_)
            | Value::Null
            | Value::Ref(_)
            | Value::GetAtt(_)
            | Value::Sub(_)
    )
}

struct Resolver<'a> {
    template: &'static PolicyTemplate,
    /// (parameter, value): the parameter is renamed [`PARAMETER_PREFIX`] and its name.
    values: Vec<(&'static str, &'a Value)>,
}

impl Resolver<'_> {
    /// The value to put for a `Ref` to `renamed`, if any: its index in `values`.
    fn lookup(&self, renamed: &str) -> Option<usize> {
        self.lookup_parameter(renamed.strip_prefix(PARAMETER_PREFIX)?)
    }

    /// [`Resolver::lookup`] of the parameter `name` (not renamed).
    fn lookup_parameter(&self, name: &str) -> Option<usize> {
        self.values.iter().position(|(parameter, value)| {
            *parameter == name && !matches!(value, Value::Str(s) if s.starts_with(PLACEHOLDER))
        })
    }

    /// A node of the template's definition (steps 2 and 3).
    fn definition(&self, node: &Json) -> Result<Value, ExpandError> {
        Ok(match node {
            Json::Str(s) => Value::str(*s),
            Json::Seq(items) => Value::Seq(
                items
                    .iter()
                    .map(|i| self.definition(i))
                    .collect::<Result<_, _>>()?,
            ),
            Json::Map([("Ref", Json::Str(name))]) => match self.lookup_parameter(name) {
                Some(i) => self.substituted(i, &mut Vec::new())?,
                None => Value::Ref(format!("{PARAMETER_PREFIX}{name}")),
            },
            Json::Map([("Fn::Sub", Json::Str(text))]) => Value::Sub((*text).to_owned()),
            Json::Map(entries) => {
                let mut map = Map::with_capacity(entries.len());
                for (key, value) in *entries {
                    let value = match (*key, value) {
                        ("Ref", Json::Str(name)) => Value::str(format!("{PARAMETER_PREFIX}{name}")),
                        _ => self.definition(value)?,
                    };
                    map.insert((*key).into(), value);
                }
                Value::Map(map)
            }
        })
    }

    /// The value of parameter `i`, with its contents searched for more `Ref`s to substitute;
    /// `chain` holds the parameters being substituted around it.
    fn substituted(&self, i: usize, chain: &mut Vec<usize>) -> Result<Value, ExpandError> {
        let (parameter, value) = &self.values[i];
        if chain.contains(&i) {
            return Err(ExpandError::Endless {
                template: self.template.name,
                parameter,
            });
        }
        chain.push(i);
        let out = self.contents(value, chain);
        chain.pop();
        out
    }

    /// A node inside a substituted value: replaced when it is a `Ref` to a renamed parameter
    /// (a `Value::Ref`, or a mapping of `Ref` alone to text), then its contents searched.
    fn node(&self, value: &Value, chain: &mut Vec<usize>) -> Result<Value, ExpandError> {
        let referred = match value {
            Value::Ref(name) => Some(name.as_str()),
            Value::Map(map) if map.len() == 1 => match map.get("Ref") {
                Some(Value::Str(name)) => Some(name.as_str()),
                _ => None,
            },
            _ => None,
        };
        match referred.and_then(|name| self.lookup(name)) {
            Some(i) => self.substituted(i, chain),
            None => self.contents(value, chain),
        }
    }

    /// `value` with every node inside it (not itself) passed through [`Resolver::node`], as the
    /// translator walks a mapping's values and a list's items; intrinsics are the mappings they
    /// stand for (`!If [c, a, b]` is `{"Fn::If": [c, a, b]}`: the condition's name is text).
    fn contents(&self, value: &Value, chain: &mut Vec<usize>) -> Result<Value, ExpandError> {
        if substituted_whole(value) {
            return Ok(value.clone());
        }
        let mut node = |v: &Value| self.node(v, chain).map(Box::new);
        Ok(match value {
            Value::Seq(items) => {
                let mut out = Vec::with_capacity(items.len());
                for item in items {
                    out.push(*node(item)?);
                }
                Value::Seq(out)
            }
            Value::Map(map) => {
                let mut out = Map::with_capacity(map.len());
                for (key, item) in map {
                    out.insert(key.clone(), *node(item)?);
                }
                Value::Map(out)
            }
            Value::If(condition, then, otherwise) => {
                let then = node(then)?;
                Value::If(condition.clone(), then, node(otherwise)?)
            }
            Value::Select(index, list) => Value::Select(*index, node(list)?),
            Value::Split(delimiter, text) => Value::Split(delimiter.clone(), node(text)?),
            Value::Equals(a, b) => {
                let a = node(a)?;
                Value::Equals(a, node(b)?)
            }
            Value::Join(join) => {
                let (delimiter, parts) = &**join;
                let mut out = Vec::with_capacity(parts.len());
                for part in parts {
                    out.push(*node(part)?);
                }
                Value::join(delimiter.clone(), out)
            }
            Value::Tagged(tag, inner) => Value::Tagged(tag.clone(), node(inner)?),
            _ => value.clone(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params<const N: usize>(entries: [(&str, Value); N]) -> Map {
        entries
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v))
            .collect()
    }

    fn sub_resource(statement: &Value) -> Option<&Value> {
        let Value::Map(m) = statement else {
            return None;
        };
        m.get("Resource")
    }

    #[test]
    fn kinesis_crud_substitutes_the_stream_name_into_fn_sub_variables() {
        let out = expand(
            "KinesisCrudPolicy",
            &params([("StreamName", Value::Ref("S".into()))]),
        );
        let Ok(statements) = out else {
            panic!("{out:?}");
        };
        assert_eq!(statements.len(), 1);
        let expected = Value::map([(
            "Fn::Sub",
            Value::Seq(vec![
                Value::str(
                    "arn:${AWS::Partition}:kinesis:${AWS::Region}:${AWS::AccountId}:stream/${streamName}",
                ),
                Value::map([("streamName", Value::Ref("S".into()))]),
            ]),
        )]);
        assert_eq!(sub_resource(&statements[0]), Some(&expected));
    }

    #[test]
    fn missing_parameters_are_named_as_the_translator_names_them() {
        let err = expand("KinesisCrudPolicy", &Map::new());
        assert_eq!(
            err.map_err(|e| e.to_string()),
            Err("Following required parameters of template 'KinesisCrudPolicy' don't have values: ['StreamName']".to_owned())
        );
        assert_eq!(
            expand("NoSuchPolicy", &Map::new()),
            Err(ExpandError::UnknownTemplate("NoSuchPolicy".into()))
        );
    }

    #[test]
    fn a_placeholder_is_not_substituted_and_the_renamed_ref_stays() {
        let out = expand(
            "KinesisCrudPolicy",
            &params([(
                "StreamName",
                Value::str("{{IntrinsicFunction:x/Y.Outputs.Z/Fn::GetAtt}}"),
            )]),
        );
        let Ok(statements) = out else {
            panic!("{out:?}");
        };
        let text = format!("{:?}", sub_resource(&statements[0]));
        assert!(
            text.contains("Ref(\"___SAM_POLICY_PARAMETER_StreamName\")"),
            "{text}"
        );
    }

    #[test]
    fn a_value_that_refers_to_itself_is_an_error() {
        let own = Value::join(
            "-",
            vec![Value::Ref(format!("{PARAMETER_PREFIX}StreamName"))],
        );
        assert_eq!(
            expand("KinesisCrudPolicy", &params([("StreamName", own)])),
            Err(ExpandError::Endless {
                template: "KinesisCrudPolicy",
                parameter: "StreamName"
            })
        );
        // A `Ref` to a renamed parameter that is not itself is substituted.
        let other = Value::join(
            "-",
            vec![Value::Ref(format!("{PARAMETER_PREFIX}AccessPoint"))],
        );
        let out = expand(
            "EFSWriteAccessPolicy",
            &params([("FileSystem", other), ("AccessPoint", Value::str("ap"))]),
        );
        assert!(
            format!("{out:?}").contains("Join((\"-\", [Str(\"ap\")]))"),
            "{out:?}"
        );
    }
}
