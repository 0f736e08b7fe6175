//! The value rules resource types share, and where every rule reports: [`Rules`] collects the
//! problems of one stack, for the resource types' own rules and for `check`'s rules across
//! resources alike.

use crate::diagnostics::Problem;
use crate::format::model::Sp;
use crate::limits::{MIN_ENV_VAR_NAME, STACK_NAME_ROOM};

/// Variables Lambda sets itself; a function may not define them.
pub const RESERVED_ENV_VARS: &[&str] = &[
    "_HANDLER",
    "_X_AMZN_TRACE_ID",
    "AWS_DEFAULT_REGION",
    "AWS_REGION",
    "AWS_EXECUTION_ENV",
    "AWS_ACCESS_KEY",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_XRAY_CONTEXT_MISSING",
    "AWS_XRAY_DAEMON_ADDRESS",
    "LAMBDA_TASK_ROOT",
    "LAMBDA_RUNTIME_DIR",
];

/// Where rules report, with what they need to know of the run.
pub struct Rules<'a> {
    /// `--environment`.
    pub environment: Option<&'a str>,
    pub problems: Vec<Problem>,
}

impl Rules<'_> {
    /// A value stackwire writes where CloudFormation does not resolve an SSM SecureString
    /// (`{{resolve:ssm-secure:...}}`): everywhere it writes, as cfn-lint's E1027 says. Plain
    /// `{{resolve:ssm:...}}` and `{{resolve:secretsmanager:...}}` are resolved and pass.
    pub fn no_secure_reference(&mut self, value: &Sp<String>, what: &'static str) {
        if value
            .value
            .to_ascii_lowercase()
            .contains("{{resolve:ssm-secure:")
        {
            self.problems.push(Problem::SecureDynamicReference {
                what,
                span: value.span,
            });
        }
    }

    /// [`Self::no_secure_reference`] on every string inside a pass-through value (a `!Sub`'s
    /// text, a `!Join`'s parts, ...).
    pub fn no_secure_reference_in(&mut self, node: &crate::format::node::Node, what: &'static str) {
        use crate::format::node::Value;
        let mut stack = vec![node];
        while let Some(n) = stack.pop() {
            match &n.value {
                Value::Str(s) if s.to_ascii_lowercase().contains("{{resolve:ssm-secure:") => {
                    self.problems
                        .push(Problem::SecureDynamicReference { what, span: n.span });
                }
                Value::Seq(items) => stack.extend(items.iter().rev()),
                Value::Map(entries) => stack.extend(entries.iter().rev().map(|(_, v)| v)),
                _ => {}
            }
        }
    }

    /// A physical name with an optional `${AWS::StackName}`: the literal rest must be valid.
    pub fn physical_name(
        &mut self,
        name: &Sp<String>,
        what: &'static str,
        max: usize,
        extra: &[u8],
    ) {
        let literal = name.value.replace("${AWS::StackName}", "");
        let stack_names = name.value.matches("${AWS::StackName}").count();
        let len = literal.len() + stack_names * STACK_NAME_ROOM;
        let bad = literal.chars().find(|c| {
            !(c.is_ascii_alphanumeric() || (c.is_ascii() && extra.contains(&(*c as u8))))
        });
        let allowed: String = extra.iter().map(|b| char::from(*b)).collect();
        let reason = if name.value.is_empty() {
            Some("it is empty".to_owned())
        } else if let Some(c) = bad {
            Some(if c == '$' || c == '{' || c == '}' {
                "the only substitution allowed is `${AWS::StackName}`".to_owned()
            } else {
                format!("`{c}` is not allowed")
            })
        } else if len > max && stack_names > 0 {
            Some(format!(
                "it is longer than {max} characters, counting `${{AWS::StackName}}` as {STACK_NAME_ROOM}"
            ))
        } else if len > max {
            Some(format!("it is longer than {max} characters"))
        } else {
            None
        };
        if let Some(reason) = reason {
            self.problems.push(Problem::InvalidName {
                what,
                value: name.value.clone(),
                reason,
                span: name.span,
                help: Some(format!(
                    "use 1 to {max} of `A-Za-z0-9{allowed}`; `${{AWS::StackName}}` may stand for the stack's name"
                )),
            });
        }
    }

    /// Whether `name` may be a Lambda environment variable; reports why not.
    pub fn env_var_name(&mut self, name: &Sp<String>) -> bool {
        let n = &name.value;
        if RESERVED_ENV_VARS.contains(&n.as_str()) || n.starts_with("AWS_LAMBDA_") {
            self.problems.push(Problem::ReservedEnvVar {
                name: n.clone(),
                span: name.span,
            });
            return false;
        }
        // Lambda's pattern, `[a-zA-Z]([a-zA-Z0-9_])+`: a letter, then at least one more.
        let well_formed = n.len() >= MIN_ENV_VAR_NAME
            && n.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
            && n.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if !well_formed {
            self.problems.push(Problem::InvalidEnvVar {
                name: n.clone(),
                span: name.span,
            });
        }
        well_formed
    }
}
