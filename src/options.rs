//! What a run asks of the pipeline beyond the stack itself, as one value: the command line
//! declares the flags once (`cli::PipelineArgs`) and every command passes this struct on, so a
//! new option is a field here and a flag there, and no signature changes.

use crate::target::{self, Target};

#[derive(Clone, Copy)]
pub struct Options<'a> {
    /// `--environment`: the environment whose Parameter Store paths `existing: {env: ...}` reads.
    pub environment: Option<&'a str>,
    /// `--target`: what the stack is lowered to.
    pub target: &'static dyn Target,
    /// `--code-bucket`: the S3 bucket a plain CloudFormation template's `Code` names (the key is
    /// `<source>.zip`); not set, `Code` is the local folder, for `aws cloudformation package`.
    pub code_bucket: Option<&'a str>,
    /// Whether the run wants the template's text. `validate` does not: it only weighs the
    /// template (the quotas on its size), so the emitter counts the bytes it would write, and
    /// [`crate::pipeline::Compiled::template`] is `None` however valid the stack is.
    pub writes: bool,
}

impl Default for Options<'_> {
    fn default() -> Self {
        Options {
            environment: None,
            target: target::DEFAULT,
            code_bucket: None,
            writes: true,
        }
    }
}

impl<'a> Options<'a> {
    /// The default options with `--environment` set.
    pub fn environment(environment: Option<&'a str>) -> Self {
        Options {
            environment,
            ..Options::default()
        }
    }
}

impl std::fmt::Debug for Options<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Options")
            .field("environment", &self.environment)
            .field("target", &self.target.name())
            .field("code_bucket", &self.code_bucket)
            .field("writes", &self.writes)
            .finish()
    }
}
