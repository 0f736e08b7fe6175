//! `stackwire init [DIR]`: a ready project. The quickstart `stack.yaml` (the README's example,
//! `fixtures/ok/quickstart.yaml`), one handler per Function in its runtime's language using
//! exactly the variable names its wires give (worked out by `check`, as `compile` does), a
//! `.pre-commit-config.yaml`, and a `README.md` with the deploy commands. It writes nothing when
//! any of those files exists (exit 6).

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use crate::check;
use crate::cli::InitArgs;
use crate::format::model::Body;
use crate::format::parse;
use crate::io::{Io, exit};
use crate::options::Options;
use crate::plan::Plan;

/// The stack `init` writes: the README's quickstart. It is kept in `src/` (a copy of
/// `fixtures/ok/quickstart.yaml`, which a test keeps equal) so that the crate builds from its
/// sources alone, as `cargo install` and pre-commit build it.
const STACK: &str = include_str!("quickstart.yaml");

pub fn run(args: &InitArgs, io: &mut Io<'_>) -> i32 {
    let files = match project() {
        Ok(files) => files,
        Err(e) => {
            let _ = writeln!(io.stderr, "error: {e}");
            return exit::INVALID;
        }
    };
    let dir = &args.dir;
    let existing: Vec<PathBuf> = files
        .iter()
        .map(|(path, _)| dir.join(path))
        .filter(|p| p.symlink_metadata().is_ok())
        .collect();
    if !existing.is_empty() {
        let _ = writeln!(
            io.stderr,
            "error: init writes nothing over existing files; these exist already:"
        );
        for p in &existing {
            let _ = writeln!(io.stderr, "  {}", p.display());
        }
        let _ = writeln!(
            io.stderr,
            "help: run `stackwire init` in an empty folder, or name a new one: `stackwire init my-stack`"
        );
        return exit::EXISTS;
    }
    for (path, text) in &files {
        let path = dir.join(path);
        if let Err(e) = write_new(&path, text) {
            let _ = writeln!(io.stderr, "error: cannot write {}: {e}", path.display());
            return if e.kind() == std::io::ErrorKind::AlreadyExists {
                exit::EXISTS
            } else {
                exit::IO
            };
        }
    }
    let mut out = String::new();
    for (path, _) in &files {
        let _ = writeln!(out, "created {}", dir.join(path).display());
    }
    let _ = writeln!(
        out,
        "next: cd {} && stackwire compile stack.yaml -o template.yaml (README.md has the deploy commands)",
        dir.display()
    );
    super::print(io, out.as_bytes(), "the list of files")
}

/// Creates `path` (and its folders) with `text`; fails if it exists.
fn write_new(path: &Path, text: &str) -> std::io::Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)?;
    f.write_all(text.as_bytes())?;
    f.sync_all()
}

/// Every file of the project, relative to its folder, in the order written.
pub fn project() -> Result<Vec<(PathBuf, String)>, String> {
    let stack_text = stack_yaml();
    let (stack, problems) = parse::parse(&stack_text);
    let stack = stack.ok_or("the quickstart stack does not parse")?;
    let options = Options::default();
    let (plan, found) = check::check(&stack, &options);
    if problems
        .iter()
        .chain(&found)
        .any(crate::diagnostics::Problem::is_error)
    {
        return Err("the quickstart stack has errors".to_owned());
    }
    let mut files = vec![(PathBuf::from("stack.yaml"), stack_text.clone())];
    let mut handlers = Vec::new();
    for (i, r) in stack.resources.iter().enumerate() {
        let Body::Function(f) = &r.body else { continue };
        let id = &r.id.value;
        let runtime = f.runtime.as_ref().map_or("", |r| r.value.as_str());
        let handler = f.handler.as_ref().map_or("", |h| h.value.as_str());
        let source = f
            .source
            .as_ref()
            .map_or_else(|| format!("src/{id}"), |s| s.value.clone());
        let (module, function) = handler
            .rsplit_once('.')
            .ok_or_else(|| format!("Function `{id}`'s handler `{handler}` names no module"))?;
        let file = Handler::new(&plan, i, function);
        let (ext, code) = if runtime.starts_with("python") {
            ("py", file.python())
        } else if runtime.starts_with("nodejs") {
            ("js", file.node())
        } else {
            return Err(format!("no handler template for runtime `{runtime}`"));
        };
        let path = PathBuf::from(&source).join(format!("{}.{ext}", module.replace('.', "/")));
        handlers.push(format!("- `{}`: {}", path.display(), file.summary(id)));
        files.push((path, code));
    }
    files.push((
        PathBuf::from(".pre-commit-config.yaml"),
        PRE_COMMIT.to_owned(),
    ));
    files.push((PathBuf::from("README.md"), readme(&stack.name, &handlers)));
    Ok(files)
}

/// The quickstart with a comment of its own instead of the fixture's.
fn stack_yaml() -> String {
    let body: String = STACK
        .lines()
        .skip_while(|l| l.starts_with('#'))
        .map(|l| format!("{l}\n"))
        .collect();
    format!(
        "# yaml-language-server: $schema=https://raw.githubusercontent.com/OWNER/stackwire/main/stack.schema.json\n# A producer Function writes to a Stream, a consumer Function reads it. Compile with\n# `stackwire compile stack.yaml -o template.yaml`.\n{body}"
    )
}

/// A Function's handler: what its wires give it.
struct Handler {
    function: String,
    /// The `STREAM_NAME`-style variable of each stream it may write to.
    writes: Vec<String>,
    /// The streams whose records it is invoked with.
    reads: Vec<String>,
}

impl Handler {
    fn new(plan: &Plan<'_>, i: usize, function: &str) -> Handler {
        let resources = &plan.stack.resources;
        Handler {
            function: function.to_owned(),
            writes: plan.discoveries[i]
                .iter()
                .filter(|d| d.access.writes())
                .map(|d| d.name_var.clone())
                .collect(),
            reads: plan.events[i]
                .iter()
                .filter_map(|e| resources.get(e.stream).map(|r| r.id.value.clone()))
                .collect(),
        }
    }

    fn summary(&self, id: &str) -> String {
        let mut parts = Vec::new();
        if !self.writes.is_empty() {
            let vars: Vec<String> = self.writes.iter().map(|v| format!("`{v}`")).collect();
            parts.push(format!(
                "puts a record on the stream in {}",
                vars.join(", ")
            ));
        }
        if !self.reads.is_empty() {
            parts.push(format!("decodes each batch from {}", self.reads.join(", ")));
        }
        if parts.is_empty() {
            parts.push("does nothing yet".to_owned());
        }
        format!("`{id}` {}", parts.join("; "))
    }

    fn python(&self) -> String {
        let mut s = String::new();
        if !self.reads.is_empty() {
            s.push_str("import base64\n");
        }
        s.push_str("import json\n");
        if !self.writes.is_empty() {
            s.push_str("import os\n\nimport boto3\n");
        }
        s.push('\n');
        if !self.writes.is_empty() {
            s.push_str("kinesis = boto3.client(\"kinesis\")\n");
            for v in &self.writes {
                let _ = writeln!(
                    s,
                    "{} = os.environ[\"{v}\"]  # given by the wire to the stream",
                    v.to_ascii_lowercase()
                );
            }
            s.push('\n');
        }
        let _ = writeln!(s, "\ndef {}(event, context):", self.function);
        if !self.reads.is_empty() {
            s.push_str("    records = []\n");
            s.push_str("    for record in event.get(\"Records\", []):\n");
            s.push_str("        data = base64.b64decode(record[\"kinesis\"][\"data\"]).decode(\"utf-8\")\n");
            s.push_str("        records.append({\"partitionKey\": record[\"kinesis\"][\"partitionKey\"], \"data\": data})\n");
            s.push_str("    print(json.dumps({\"received\": records}))\n");
        }
        let mut answer = vec![];
        for v in &self.writes {
            let var = v.to_ascii_lowercase();
            let _ = writeln!(
                s,
                "    {var}_response = kinesis.put_record(\n        StreamName={var},\n        Data=json.dumps({{\"hello\": \"from {}\"}}).encode(\"utf-8\"),\n        PartitionKey=\"init\",\n    )",
                self.function
            );
            answer.push(format!("\"{var}\": {var}_response[\"SequenceNumber\"]"));
        }
        if !self.reads.is_empty() {
            answer.push("\"records\": records".to_owned());
        }
        let _ = writeln!(s, "    return {{{}}}", answer.join(", "));
        s
    }

    fn node(&self) -> String {
        let mut s = String::new();
        if !self.writes.is_empty() {
            s.push_str("// The AWS SDK for JavaScript v3, which the nodejs runtimes ship.\nconst { KinesisClient, PutRecordCommand } = require(\"@aws-sdk/client-kinesis\");\n\nconst kinesis = new KinesisClient({});\n");
            for v in &self.writes {
                let _ = writeln!(
                    s,
                    "const {} = process.env.{v}; // given by the wire to the stream",
                    camel(v)
                );
            }
            s.push('\n');
        }
        let _ = writeln!(s, "exports.{} = async (event) => {{", self.function);
        s.push_str("  const answer = {};\n");
        if !self.reads.is_empty() {
            s.push_str("  answer.records = (event.Records || []).map((record) => ({\n    partitionKey: record.kinesis.partitionKey,\n    data: Buffer.from(record.kinesis.data, \"base64\").toString(\"utf8\"),\n  }));\n  console.log(JSON.stringify({ received: answer.records }));\n");
        }
        for v in &self.writes {
            let var = camel(v);
            let _ = writeln!(
                s,
                "  const {var}Put = await kinesis.send(new PutRecordCommand({{\n    StreamName: {var},\n    Data: Buffer.from(JSON.stringify({{ hello: \"from {}\" }})),\n    PartitionKey: \"init\",\n  }}));\n  answer.{var} = {var}Put.SequenceNumber;",
                self.function
            );
        }
        s.push_str("  return answer;\n};\n");
        s
    }
}

/// `STREAM_NAME_2` -> `streamName2`.
fn camel(var: &str) -> String {
    let mut out = String::new();
    for (i, part) in var.split('_').filter(|p| !p.is_empty()).enumerate() {
        let lower = part.to_ascii_lowercase();
        if i == 0 {
            out.push_str(&lower);
        } else {
            let mut chars = lower.chars();
            if let Some(c) = chars.next() {
                out.push(c.to_ascii_uppercase());
                out.extend(chars);
            }
        }
    }
    out
}

const PRE_COMMIT: &str = "# pre-commit (https://pre-commit.com): `pre-commit install`, then every commit checks stack.yaml.\nrepos:\n  - repo: https://github.com/OWNER/stackwire   # where your copy of stackwire lives\n    rev: TAG                                    # a release tag or commit of it\n    hooks:\n      - id: stackwire\n";

fn readme(name: &Option<crate::format::model::Sp<String>>, handlers: &[String]) -> String {
    let stack = name.as_ref().map_or("my-stack", |n| n.value.as_str());
    format!(
        "# {stack}\n\n`stack.yaml` describes the stack: a Kinesis Stream and the Lambda Functions wired to it.\nstackwire compiles it into an AWS SAM template.\n\nThe handlers:\n\n{}\n\n## Deploy\n\n```sh\nstackwire compile stack.yaml -o template.yaml\nsam build\nsam deploy --guided --stack-name {stack} --capabilities CAPABILITY_IAM   # the first time\nsam deploy                                                              # after that\n```\n\n`sam deploy --guided` asks for the Region and saves the answers in `samconfig.toml`.\nCommit `template.yaml` with `stack.yaml`; in CI, `stackwire compile stack.yaml -o template.yaml --check`\nfails when it is out of date.\n\n## Check before committing\n\n```sh\npip install pre-commit && pre-commit install   # then every commit runs `stackwire validate`\n```\n",
        handlers.join("\n")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn camel_case_of_variables() {
        assert_eq!(camel("STREAM_NAME"), "streamName");
        assert_eq!(camel("STREAM_NAME_2"), "streamName2");
    }

    #[test]
    fn the_project_uses_the_wires_variables() {
        let files = project().unwrap();
        let names: Vec<String> = files.iter().map(|(p, _)| p.display().to_string()).collect();
        assert_eq!(
            names,
            [
                "stack.yaml",
                "src/Processor/index.js",
                "src/Producer/handler.py",
                ".pre-commit-config.yaml",
                "README.md"
            ]
        );
        assert!(files[2].1.contains("os.environ[\"STREAM_NAME\"]"));
        assert!(
            files[1]
                .1
                .contains("Buffer.from(record.kinesis.data, \"base64\")")
        );
    }
}
