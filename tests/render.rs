//! `stackwire graph` checked by the real renderers (`cargo test --test render`, slow).
//!
//! For every `fixtures/ok` stack, the built binary's output is drawn by what its users draw it
//! with: the Mermaid by the `mermaid` library (npm, pinned) in headless Chromium, the DOT by
//! Graphviz's `dot`. Each must render, and the drawing must have one node per resource and
//! failure destination, and one solid, dashed or thick edge per event wire, discovery wire and
//! failure link. With `--all` (each `passthru-*` fixture, and [`WHOLE_STACK`], which has a SAM
//! event of each kind of source and user text that each format must escape), also one node per
//! pass-through resource and event source, one solid edge per SAM event and one dashed edge per
//! Function and pass-through resource it references. What is expected is worked out here from
//! the stack's YAML, not from stackwire's graph. stackwire's own SVG must parse as XML, be self-contained, have no two
//! boxes overlapping (nor a label over a box), and render in Chromium to a picture that is not
//! blank.
//!
//! The suite installs what it needs itself and fails (panics with the reason) when it cannot:
//! Debian's `chromium` and `graphviz` with apt-get when `/usr/bin/chromium` or `dot` is
//! missing, and `mermaid` into `target/render-tools/` with `npm install --prefix`.

use std::collections::BTreeSet;
use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;

/// The `mermaid` release the suite renders with.
const MERMAID: &str = "12.3.0";
const CHROMIUM: &str = "/usr/bin/chromium";

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

// ---------------------------------------------------------------------------------------------
// Tools

struct Tools {
    dot: PathBuf,
    mermaid_js: PathBuf,
}

fn tools() -> &'static Tools {
    static TOOLS: OnceLock<Result<Tools, String>> = OnceLock::new();
    match TOOLS.get_or_init(install) {
        Ok(tools) => tools,
        Err(why) => panic!("the render suite cannot install its tools: {why}"),
    }
}

fn install() -> Result<Tools, String> {
    if !Path::new(CHROMIUM).exists() || which("dot").is_none() {
        apt_install(&["chromium", "graphviz"])?;
    }
    if !Path::new(CHROMIUM).exists() {
        return Err(format!(
            "{CHROMIUM} is still missing after apt-get install chromium"
        ));
    }
    let dot = which("dot").ok_or("`dot` is still missing after apt-get install graphviz")?;
    let mermaid_js = npm_mermaid()?;
    Ok(Tools { dot, mermaid_js })
}

fn which(program: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(program))
        .find(|p| p.is_file())
}

fn run(command: &mut Command) -> Result<Output, String> {
    let shown = format!("{command:?}");
    let output = command
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run {shown}: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "{shown} failed ({}):\n{}\n{}",
            output.status,
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    Ok(output)
}

fn apt_install(packages: &[&str]) -> Result<(), String> {
    run(Command::new("apt-get").arg("update"))?;
    run(Command::new("apt-get")
        .args(["install", "-y", "--no-install-recommends"])
        .args(packages)
        .env("DEBIAN_FRONTEND", "noninteractive"))?;
    Ok(())
}

/// `mermaid` at [`MERMAID`] in `target/render-tools/`: its browser bundle.
fn npm_mermaid() -> Result<PathBuf, String> {
    let dir = root().join("target/render-tools");
    let package = dir.join("node_modules/mermaid/package.json");
    let bundle = dir.join("node_modules/mermaid/dist/mermaid.min.js");
    let installed = std::fs::read_to_string(&package)
        .ok()
        .and_then(|text| serde_json::from_str::<serde_json::Value>(&text).ok())
        .and_then(|v| v["version"].as_str().map(str::to_owned));
    if installed.as_deref() != Some(MERMAID) || !bundle.is_file() {
        std::fs::create_dir_all(&dir)
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        run(Command::new("npm")
            .arg("install")
            .arg("--prefix")
            .arg(&dir)
            .args(["--no-audit", "--no-fund", "--save-exact"])
            .arg(format!("mermaid@{MERMAID}")))?;
    }
    if !bundle.is_file() {
        return Err(format!(
            "npm installed mermaid, but {} is missing",
            bundle.display()
        ));
    }
    Ok(bundle)
}

/// Runs headless Chromium with a fresh profile (the flags keep it from calling out, which the
/// sandbox this runs in refuses).
fn chromium(args: &[&OsStr]) -> Output {
    let profile = tempfile::tempdir().unwrap_or_else(|e| panic!("a temporary folder: {e}"));
    let mut user_data = std::ffi::OsString::from("--user-data-dir=");
    user_data.push(profile.path());
    let mut command = Command::new(CHROMIUM);
    command
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
        ])
        .arg(user_data)
        .args(args);
    run(&mut command).unwrap_or_else(|e| panic!("{e}"))
}

// ---------------------------------------------------------------------------------------------
// What each stack should draw, from its YAML

#[derive(Debug, Default, Clone, PartialEq, Eq)]
struct Counts {
    nodes: usize,
    solid: usize,
    dashed: usize,
    thick: usize,
}

struct Fixture {
    name: String,
    path: PathBuf,
    args: Vec<String>,
    /// Logical IDs, and the names in the destinations' ARNs: each is shown in some box.
    titles: Vec<String>,
    expected: Counts,
}

fn fixtures() -> Vec<Fixture> {
    let dir = root().join("fixtures/ok");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    paths.sort();
    assert!(paths.len() >= 20, "the ok fixtures are missing: {paths:?}");
    let mut fixtures: Vec<Fixture> = paths.iter().map(|path| fixture(path)).collect();
    // `--all` on the whole stacks.
    let whole = root().join("target/render-tools/whole-stack.yaml");
    // Written once: the tests run at once, and one rewriting it as another reads it would
    // hand the reader an empty file.
    static WRITE_WHOLE: std::sync::Once = std::sync::Once::new();
    WRITE_WHOLE.call_once(|| {
        if let Some(dir) = whole.parent() {
            std::fs::create_dir_all(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
        }
        std::fs::write(&whole, WHOLE_STACK).unwrap_or_else(|e| panic!("{}: {e}", whole.display()));
    });
    let passthru = paths.iter().filter(|p| {
        p.file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with("passthru-"))
    });
    let all: Vec<Fixture> = passthru
        .chain(std::iter::once(&whole))
        .map(|path| fixture_all(path))
        .collect();
    assert!(all.len() >= 6, "the passthru fixtures are missing");
    fixtures.extend(all);
    fixtures
}

/// A whole stack for `--all`: a SAM event of each kind of source (a pass-through resource by
/// `!GetAtt`, `!Ref` and the list form, an ARN outside the stack, SAM's implicit API, a
/// schedule), references in each form, and a type and a path that each format must escape.
const WHOLE_STACK: &str = r#"resources:
  Orders: {type: Stream}
  Worker:
    type: Function
    runtime: nodejs22.x
    handler: index.handler
    environment:
      QUEUE_URL: !Sub 'https://sqs.${AWS::Region}.amazonaws.com/${AWS::AccountId}/${Queue.QueueName}'
      OTHER: !Sub ['${Q}-${!Literal}', {Q: !Ref Other}]
      PICKED: !If [Always, !Ref Queue, !Ref 'AWS::NoValue']
      TABLE: {Ref: Table}
    policies:
      - SQSSendMessagePolicy: {QueueName: !GetAtt Queue.QueueName}
      - DynamoDBCrudPolicy: {TableName: !Ref Table}
    properties:
      Events:
        FromQueue: {Type: SQS, Properties: {Queue: !GetAtt Queue.Arn, BatchSize: 10}}
        FromTopic: {Type: SNS, Properties: {Topic: !Ref Topic}}
        FromTable: {Type: DynamoDB, Properties: {Stream: !GetAtt [Table, StreamArn], StartingPosition: LATEST}}
        Outside: {Type: SQS, Properties: {Queue: 'arn:aws:sqs:us-east-1:123456789012:outside'}}
        Get: {Type: Api, Properties: {RestApiId: !Ref MyApi, Path: '/items/{id}', Method: get}}
        Post: {Type: Api, Properties: {Path: '/items"<b>|#%--></svg>', Method: post}}
        Nightly: {Type: Schedule, Properties: {Schedule: 'cron(0 3 * * ? *)'}}
  Reader:
    type: Function
    runtime: python3.13
    handler: h.handler
    properties:
      Events:
        Again: {Type: SQS, Properties: {Queue: 'arn:aws:sqs:us-east-1:123456789012:outside'}}
        Post: {Type: Api, Properties: {Path: /other, Method: post}}
wires:
  - {from: Orders, to: Worker}
  - {from: Reader, to: Orders, access: write}
template:
  Conditions:
    Always: !Equals [a, a]
  Resources:
    Queue: {Type: AWS::SQS::Queue}
    Other: {Type: 'Custom::Odd"]<b>|#%&\N;}'}
    Topic: {Type: AWS::SNS::Topic}
    Table:
      Type: AWS::DynamoDB::Table
      Properties:
        BillingMode: PAY_PER_REQUEST
        AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
        KeySchema: [{AttributeName: id, KeyType: HASH}]
        StreamSpecification: {StreamViewType: NEW_IMAGE}
    MyApi: {Type: AWS::Serverless::Api, Properties: {StageName: prod}}
    Lonely: {Type: AWS::S3::Bucket}
"#;

/// As much of a stack description as the expected drawing needs (strings are read as strings:
/// `On` is a Logical ID here, not a YAML 1.1 boolean).
#[derive(serde::Deserialize)]
struct StackYaml {
    resources: std::collections::BTreeMap<String, ResourceYaml>,
    #[serde(default)]
    wires: Vec<WireYaml>,
    #[serde(default)]
    template: TemplateYaml,
}

/// The values below are read with their tags dropped (`!Ref Queue` is `"Queue"`, `!GetAtt
/// Queue.Arn` is `"Queue.Arn"`), which is all the expected drawing needs: no fixture has a
/// plain text value that names a resource.
#[derive(serde::Deserialize)]
struct ResourceYaml {
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    environment: std::collections::BTreeMap<String, serde_json::Value>,
    #[serde(default)]
    policies: Vec<serde_json::Value>,
    #[serde(default)]
    properties: serde_json::Value,
}

impl ResourceYaml {
    /// The resource names its `environment` values and `policies` items may reference.
    fn named(&self) -> BTreeSet<String> {
        let mut names = BTreeSet::new();
        self.environment
            .values()
            .chain(&self.policies)
            .for_each(|v| names_in(v, &mut names));
        names
    }
}

#[derive(serde::Deserialize, Default)]
struct TemplateYaml {
    #[serde(default, rename = "Resources")]
    resources: std::collections::BTreeMap<String, serde_json::Value>,
}

#[derive(serde::Deserialize)]
struct WireYaml {
    from: String,
    to: String,
    #[serde(rename = "onFailure")]
    on_failure: Option<String>,
}

/// A fixture drawn without `--all`: its own resources and wires, and the pass-through resources
/// a Function of the stack references (in an event's source property, its `environment` or its
/// `policies`), with one solid arrow per such event and one dashed arrow per Function and
/// resource it names.
fn fixture(path: &Path) -> Fixture {
    let mut f = own(path);
    let stack = read_stack(path);
    let passthrough = stack.passthrough();
    let mut drawn: BTreeSet<String> = BTreeSet::new();
    for resource in stack.resources.values() {
        if resource.kind != "Function" {
            continue;
        }
        if let Some(events) = resource.properties["Events"].as_object() {
            for event in events.values() {
                let kind = event["Type"].as_str().unwrap_or_default();
                let source = EVENT_SOURCES
                    .iter()
                    .find(|(t, _)| *t == kind)
                    .map(|(_, p)| &event["Properties"][*p])
                    .filter(|v| !v.is_null());
                let mut names = BTreeSet::new();
                if let Some(value) = source {
                    names_in(value, &mut names);
                }
                if let Some(name) = names.iter().find(|n| passthrough.contains(n.as_str())) {
                    f.expected.solid += 1;
                    drawn.insert(name.clone());
                }
            }
        }
        let names = resource.named();
        for name in names.iter().filter(|n| passthrough.contains(n.as_str())) {
            f.expected.dashed += 1;
            drawn.insert(name.clone());
        }
    }
    f.expected.nodes += drawn.len();
    f.titles.extend(drawn);
    f
}

/// A fixture's stack, as YAML without its tags.
fn read_stack(path: &Path) -> StackYaml {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_saphyr::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

impl StackYaml {
    /// The Logical IDs of `template: Resources`.
    fn passthrough(&self) -> BTreeSet<&str> {
        self.template.resources.keys().map(String::as_str).collect()
    }
}

/// A fixture's own resources and wires, as drawn.
fn own(path: &Path) -> Fixture {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let args = text
        .lines()
        .next()
        .and_then(|l| l.strip_prefix("# args:"))
        .map(|a| a.split_whitespace().map(str::to_owned).collect())
        .unwrap_or_default();
    let stack: StackYaml =
        serde_saphyr::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let resources = &stack.resources;
    let mut titles: Vec<String> = resources.keys().cloned().collect();
    let mut expected = Counts {
        nodes: resources.len(),
        ..Counts::default()
    };
    let mut destinations = BTreeSet::new();
    let mut links = BTreeSet::new();
    for wire in &stack.wires {
        let from = resources
            .get(&wire.from)
            .unwrap_or_else(|| panic!("{}: no resource {}", path.display(), wire.from));
        if from.kind == "Stream" {
            expected.solid += 1;
            if let Some(arn) = &wire.on_failure {
                if destinations.insert(arn.clone()) {
                    titles.push(arn.rsplit(':').next().unwrap_or(arn).to_owned());
                }
                links.insert((wire.to.clone(), arn.clone()));
            }
        } else {
            expected.dashed += 1;
        }
    }
    expected.nodes += destinations.len();
    expected.thick = links.len();
    Fixture {
        name: path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        path: path.to_owned(),
        args,
        titles,
        expected,
    }
}

/// The property of each SAM event type that names its source (SAM's documentation of each
/// event source type).
const EVENT_SOURCES: &[(&str, &str)] = &[
    ("SQS", "Queue"),
    ("SNS", "Topic"),
    ("DynamoDB", "Stream"),
    ("Kinesis", "Stream"),
    ("MSK", "Stream"),
    ("MQ", "Broker"),
    ("DocumentDB", "Cluster"),
    ("S3", "Bucket"),
    ("Api", "RestApiId"),
    ("HttpApi", "ApiId"),
    ("CloudWatchLogs", "LogGroupName"),
    ("Cognito", "UserPool"),
];

/// The resource names a value (tags dropped) may reference: the text, the part before a `.`,
/// each `${Name}` or `${Name.Attribute}`, in any depth.
fn names_in(value: &serde_json::Value, out: &mut BTreeSet<String>) {
    match value {
        serde_json::Value::String(text) => {
            out.insert(text.clone());
            out.insert(text.split('.').next().unwrap_or(text).to_owned());
            for part in text.split("${").skip(1) {
                let inner = part.split('}').next().unwrap_or_default();
                out.insert(inner.split('.').next().unwrap_or(inner).to_owned());
            }
        }
        serde_json::Value::Array(items) => items.iter().for_each(|i| names_in(i, out)),
        serde_json::Value::Object(map) => map.values().for_each(|v| names_in(v, out)),
        _ => {}
    }
}

/// A fixture drawn with `--all`: what [`fixture`] expects, and the pass-through content.
fn fixture_all(path: &Path) -> Fixture {
    let mut f = own(path);
    f.name.push_str(" --all");
    f.args.push("--all".to_owned());
    let stack = read_stack(path);
    let passthrough = stack.passthrough();
    let every: BTreeSet<&str> = stack
        .resources
        .keys()
        .map(String::as_str)
        .chain(passthrough.iter().copied())
        .collect();
    f.expected.nodes += passthrough.len();
    f.titles
        .extend(passthrough.iter().map(|id| (*id).to_owned()));
    let mut sources = BTreeSet::new();
    for (id, resource) in &stack.resources {
        if resource.kind != "Function" {
            continue;
        }
        if let Some(events) = resource.properties["Events"].as_object() {
            for (name, event) in events {
                let kind = event["Type"].as_str().unwrap_or_default();
                let property = EVENT_SOURCES
                    .iter()
                    .find(|(t, _)| *t == kind)
                    .map(|(_, p)| *p);
                let source = property
                    .map(|p| &event["Properties"][p])
                    .filter(|v| !v.is_null());
                f.expected.solid += 1;
                match source {
                    Some(value) => {
                        let mut names = BTreeSet::new();
                        names_in(value, &mut names);
                        if !names.iter().any(|n| every.contains(n.as_str())) {
                            sources.insert(format!("{kind} {value}"));
                        }
                    }
                    None if kind == "Api" || kind == "HttpApi" => {
                        let api = format!(
                            "Serverless{}",
                            if kind == "Api" { "RestApi" } else { "HttpApi" }
                        );
                        f.titles.push(api.clone());
                        sources.insert(api);
                    }
                    None => {
                        f.titles.push(format!("{id}{name}"));
                        sources.insert(format!("{id}{name}"));
                    }
                }
            }
        }
        let names = resource.named();
        f.expected.dashed += names
            .iter()
            .filter(|n| passthrough.contains(n.as_str()))
            .count();
    }
    f.expected.nodes += sources.len();
    f
}

/// `stackwire graph <fixture> --format <format> [args]`: what it printed (it must succeed
/// without a word on standard error).
fn graph(fixture: &Fixture, format: &str) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_stackwire"))
        .arg("graph")
        .arg(&fixture.path)
        .args(["--format", format])
        .args(&fixture.args)
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("cannot run stackwire: {e}"));
    assert!(
        output.status.success() && output.stderr.is_empty(),
        "stackwire graph {} --format {format} failed ({}):\n{}",
        fixture.name,
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap_or_else(|e| panic!("not UTF-8: {e}"))
}

fn xml(text: &str) -> roxmltree::Document<'_> {
    let options = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..roxmltree::ParsingOptions::default()
    };
    roxmltree::Document::parse_with_options(text, options)
        .unwrap_or_else(|e| panic!("not well-formed XML: {e}\n{text}"))
}

fn has_class(node: &roxmltree::Node<'_, '_>, class: &str) -> bool {
    node.attribute("class")
        .is_some_and(|c| c.split_whitespace().any(|c| c == class))
}

/// The text a drawing shows, all of it.
fn all_text(doc: &roxmltree::Document<'_>) -> String {
    doc.descendants()
        .filter(|n| n.is_text())
        .filter_map(|n| n.text())
        .collect::<Vec<_>>()
        .join(" ")
}

// ---------------------------------------------------------------------------------------------
// Mermaid, in the browser

#[derive(serde::Deserialize, Debug)]
struct Rendered {
    ok: bool,
    #[serde(default)]
    error: String,
    #[serde(default)]
    nodes: Vec<String>,
    #[serde(default)]
    edges: Vec<RenderedEdge>,
    #[serde(default)]
    labels: Vec<String>,
}

#[derive(serde::Deserialize, Debug)]
struct RenderedEdge {
    class: String,
    /// The computed `stroke-dasharray` and `stroke-width` of the drawn path.
    dash: String,
    width: String,
}

const PAGE_SCRIPT: &str = r#"
(async () => {
  const out = [];
  mermaid.initialize({startOnLoad: false, securityLevel: 'strict'});
  for (const [i, source] of SOURCES.entries()) {
    try {
      const {svg} = await mermaid.render('graph' + i, source);
      const holder = document.createElement('div');
      holder.innerHTML = svg;
      document.body.appendChild(holder);
      const drawn = holder.querySelector('svg');
      out.push({
        ok: true,
        nodes: [...drawn.querySelectorAll('g.node')].map(n => n.textContent),
        edges: [...drawn.querySelectorAll('path.flowchart-link')].map(p => {
          const style = getComputedStyle(p);
          return {class: p.getAttribute('class') || '', dash: style.strokeDasharray, width: style.strokeWidth};
        }),
        labels: [...drawn.querySelectorAll('g.edgeLabel')].map(l => l.textContent),
      });
    } catch (e) {
      out.push({ok: false, error: String(e && e.message || e)});
    }
  }
  document.getElementById('result').textContent = JSON.stringify(out);
})();
"#;

#[test]
fn mermaid_renders_every_ok_stack_in_chromium() {
    let tools = tools();
    let fixtures = fixtures();
    let sources: Vec<String> = fixtures.iter().map(|f| graph(f, "mermaid")).collect();
    let bundle = format!("file://{}", tools.mermaid_js.display());
    let sources_json = serde_json::to_string(&sources)
        .unwrap_or_default()
        .replace("</", "<\\/");
    let page = format!(
        "<!doctype html><html><head><meta charset=\"utf-8\"><script src=\"{bundle}\"></script></head><body><pre id=\"result\">not rendered</pre><script>const SOURCES = {sources_json};{PAGE_SCRIPT}</script></body></html>"
    );
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("a temporary folder: {e}"));
    let page_path = dir.path().join("mermaid.html");
    std::fs::write(&page_path, page).unwrap_or_else(|e| panic!("cannot write the page: {e}"));
    let url = format!("file://{}", page_path.display());
    let dumped = chromium(&[
        "--virtual-time-budget=120000".as_ref(),
        "--dump-dom".as_ref(),
        url.as_ref(),
    ]);
    let dom = String::from_utf8_lossy(&dumped.stdout);
    let result = dom
        .split("<pre id=\"result\">")
        .nth(1)
        .and_then(|rest| rest.split("</pre>").next())
        .unwrap_or_else(|| panic!("Chromium's page has no result:\n{dom}"));
    let result = result
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&nbsp;", "\u{a0}")
        .replace("&amp;", "&");
    let rendered: Vec<Rendered> = serde_json::from_str(&result)
        .unwrap_or_else(|e| panic!("mermaid did not finish rendering ({e}): {result}"));
    assert_eq!(rendered.len(), fixtures.len());
    for ((fixture, source), drawn) in fixtures.iter().zip(&sources).zip(&rendered) {
        let name = &fixture.name;
        assert!(
            drawn.ok,
            "mermaid cannot render {name}: {}\n{source}",
            drawn.error
        );
        let mut counts = Counts {
            nodes: drawn.nodes.len(),
            ..Counts::default()
        };
        for edge in &drawn.edges {
            // Mermaid's own classes say how it drew the edge: the first of each kind.
            let first = |kind: &str| {
                edge.class
                    .split_whitespace()
                    .find(|c| c.starts_with(kind))
                    .unwrap_or_default()
                    .to_owned()
            };
            let width: f64 = edge.width.trim_end_matches("px").parse().unwrap_or(0.0);
            match (
                first("edge-pattern-").as_str(),
                first("edge-thickness-").as_str(),
            ) {
                ("edge-pattern-dotted" | "edge-pattern-dashed", "edge-thickness-normal") => {
                    // ... and the browser drew it with gaps.
                    assert!(
                        !matches!(edge.dash.as_str(), "" | "none"),
                        "{name}: a dashed edge drawn solid: {edge:?}"
                    );
                    counts.dashed += 1;
                }
                ("edge-pattern-solid", "edge-thickness-thick") => {
                    assert!(width > 2.5, "{name}: a thick edge drawn thin: {edge:?}");
                    counts.thick += 1;
                }
                ("edge-pattern-solid", "edge-thickness-normal") => {
                    assert!(width <= 2.5, "{name}: a thin edge drawn thick: {edge:?}");
                    counts.solid += 1;
                }
                _ => panic!("{name}: an edge of no kind stackwire draws: {edge:?}"),
            }
        }
        assert_eq!(
            counts, fixture.expected,
            "{name}: what mermaid drew\n{source}"
        );
        assert_eq!(
            drawn.labels.len(),
            drawn.edges.len(),
            "{name}: every edge is labelled"
        );
        for title in &fixture.titles {
            assert!(
                drawn.nodes.iter().any(|n| n.contains(title.as_str())),
                "{name}: no box shows `{title}`: {:?}",
                drawn.nodes
            );
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Graphviz

#[test]
fn graphviz_renders_every_ok_stack() {
    let tools = tools();
    for fixture in fixtures() {
        let name = &fixture.name;
        let source = graph(&fixture, "dot");
        let mut child = Command::new(&tools.dot)
            .arg("-Tsvg")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot run dot: {e}"));
        if let Some(mut stdin) = child.stdin.take() {
            use std::io::Write;
            stdin
                .write_all(source.as_bytes())
                .unwrap_or_else(|e| panic!("cannot write to dot: {e}"));
        }
        let output = child
            .wait_with_output()
            .unwrap_or_else(|e| panic!("dot: {e}"));
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            output.status.success() && stderr.is_empty(),
            "dot cannot render {name} ({}): {stderr}\n{source}",
            output.status
        );
        let svg = String::from_utf8_lossy(&output.stdout);
        let doc = xml(&svg);
        let mut counts = Counts::default();
        for g in doc.descendants().filter(|n| n.has_tag_name("g")) {
            if has_class(&g, "node") {
                counts.nodes += 1;
            } else if has_class(&g, "edge") {
                let path = g
                    .descendants()
                    .find(|n| n.has_tag_name("path"))
                    .unwrap_or_else(|| panic!("{name}: an edge without a path"));
                match (
                    path.attribute("stroke-dasharray"),
                    path.attribute("stroke-width"),
                ) {
                    (Some(_), _) => counts.dashed += 1,
                    (None, Some(w)) if w.parse::<f64>().unwrap_or(1.0) >= 2.0 => counts.thick += 1,
                    (None, _) => counts.solid += 1,
                }
            }
        }
        assert_eq!(counts, fixture.expected, "{name}: what dot drew\n{source}");
        let text = all_text(&doc);
        for title in &fixture.titles {
            assert!(
                text.contains(title.as_str()),
                "{name}: `{title}` is not drawn"
            );
        }
    }
}

// ---------------------------------------------------------------------------------------------
// stackwire's own SVG

type Rect = (f64, f64, f64, f64);

fn rect_of(node: &roxmltree::Node<'_, '_>) -> Rect {
    let number = |name: &str| -> f64 {
        node.attribute(name)
            .and_then(|v| v.parse().ok())
            .unwrap_or_else(|| panic!("a rect without a numeric {name}"))
    };
    (number("x"), number("y"), number("width"), number("height"))
}

fn overlap(a: Rect, b: Rect) -> bool {
    a.0 < b.0 + b.2 && b.0 < a.0 + a.2 && a.1 < b.1 + b.3 && b.1 < a.1 + a.3
}

#[test]
fn stackwire_svg_is_valid_self_contained_and_boxes_apart() {
    for fixture in fixtures() {
        let name = &fixture.name;
        let svg = graph(&fixture, "svg");
        let doc = xml(&svg);
        let root = doc.root_element();
        assert!(
            root.has_tag_name(("http://www.w3.org/2000/svg", "svg")),
            "{name}: the root is not an SVG element"
        );
        let width: f64 = root
            .attribute("width")
            .and_then(|w| w.parse().ok())
            .unwrap_or(0.0);
        let height: f64 = root
            .attribute("height")
            .and_then(|h| h.parse().ok())
            .unwrap_or(0.0);
        assert!(width > 0.0 && height > 0.0, "{name}: no size");
        for node in doc.descendants().filter(|n| n.is_element()) {
            let tag = node.tag_name().name();
            assert!(
                !matches!(
                    tag,
                    "script" | "style" | "image" | "foreignObject" | "a" | "use"
                ),
                "{name}: <{tag}> in a self-contained picture"
            );
            for attribute in node.attributes() {
                assert!(
                    attribute.name() != "href" && !attribute.name().starts_with("on"),
                    "{name}: attribute {} on <{tag}>",
                    attribute.name()
                );
                let value = attribute.value();
                if let Some(at) = value.find("url(") {
                    assert!(value[at..].starts_with("url(#"), "{name}: {value}");
                }
            }
        }

        let mut counts = Counts::default();
        let mut boxes: Vec<Rect> = Vec::new();
        let mut labels: Vec<Rect> = Vec::new();
        for g in doc.descendants().filter(|n| n.has_tag_name("g")) {
            if has_class(&g, "node") {
                counts.nodes += 1;
                let rect = g
                    .children()
                    .find(|n| n.has_tag_name("rect"))
                    .unwrap_or_else(|| panic!("{name}: a node without its box"));
                boxes.push(rect_of(&rect));
            } else if has_class(&g, "edge") {
                let path = g
                    .children()
                    .find(|n| n.has_tag_name("path"))
                    .unwrap_or_else(|| panic!("{name}: an edge without a path"));
                let marker = path
                    .attribute("marker-end")
                    .or(path.attribute("marker-start"));
                assert!(marker.is_some(), "{name}: an edge without an arrowhead");
                match (
                    path.attribute("stroke-dasharray"),
                    path.attribute("stroke-width"),
                ) {
                    (Some(_), _) => counts.dashed += 1,
                    (None, Some(w)) if w.parse::<f64>().unwrap_or(1.0) > 2.0 => counts.thick += 1,
                    (None, _) => counts.solid += 1,
                }
                if let Some(rect) = g.children().find(|n| n.has_tag_name("rect")) {
                    labels.push(rect_of(&rect));
                }
            }
        }
        assert_eq!(counts, fixture.expected, "{name}: what stackwire drew");
        assert_eq!(
            labels.len(),
            counts.solid + counts.dashed + counts.thick,
            "{name}: labels"
        );
        for (i, a) in boxes.iter().enumerate() {
            let inside = a.0 >= 0.0 && a.1 >= 0.0 && a.0 + a.2 <= width && a.1 + a.3 <= height;
            assert!(inside, "{name}: box {a:?} is outside the picture");
            for b in &boxes[i + 1..] {
                assert!(!overlap(*a, *b), "{name}: boxes {a:?} and {b:?} overlap");
            }
            for l in &labels {
                assert!(!overlap(*a, *l), "{name}: label {l:?} over box {a:?}");
            }
        }
        for (i, a) in labels.iter().enumerate() {
            for b in &labels[i + 1..] {
                assert!(!overlap(*a, *b), "{name}: labels {a:?} and {b:?} overlap");
            }
        }
        let text = all_text(&doc);
        for title in &fixture.titles {
            assert!(
                text.contains(title.as_str()),
                "{name}: `{title}` is not drawn"
            );
        }
    }
}

#[test]
fn stackwire_svg_renders_in_chromium_to_a_picture() {
    tools();
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("a temporary folder: {e}"));
    for fixture in fixtures() {
        let name = &fixture.name;
        let svg = graph(&fixture, "svg");
        let doc = xml(&svg);
        let size = |a: &str| -> u32 {
            doc.root_element()
                .attribute(a)
                .and_then(|v| v.parse().ok())
                .unwrap_or_else(|| panic!("{name}: no {a}"))
        };
        let (width, height) = (size("width"), size("height"));
        let svg_path = dir.path().join(format!("{name}.svg"));
        let png_path = dir.path().join(format!("{name}.png"));
        std::fs::write(&svg_path, &svg).unwrap_or_else(|e| panic!("write: {e}"));
        let mut screenshot = std::ffi::OsString::from("--screenshot=");
        screenshot.push(&png_path);
        // Headless Chromium paints a window less than a few hundred pixels high only in part:
        // the window is at least 400 x 400, and the picture is read from its top left corner.
        let window_size = (width.max(400), height.max(400));
        let window = format!("--window-size={},{}", window_size.0, window_size.1);
        let url = format!("file://{}", svg_path.display());
        chromium(&[screenshot.as_os_str(), window.as_ref(), url.as_ref()]);
        let file = std::fs::File::open(&png_path)
            .unwrap_or_else(|e| panic!("{name}: Chromium wrote no screenshot: {e}"));
        let mut decoder = png::Decoder::new(std::io::BufReader::new(file));
        decoder.set_transformations(png::Transformations::EXPAND);
        let mut reader = decoder
            .read_info()
            .unwrap_or_else(|e| panic!("{name}: not a PNG: {e}"));
        let mut pixels = vec![0; reader.output_buffer_size().unwrap_or(0)];
        let info = reader
            .next_frame(&mut pixels)
            .unwrap_or_else(|e| panic!("{name}: PNG: {e}"));
        assert_eq!(
            (info.width, info.height),
            window_size,
            "{name}: screenshot size"
        );
        let channels = info.color_type.samples();
        let row = info.line_size;
        let mut colours: std::collections::BTreeMap<Vec<u8>, usize> = Default::default();
        for y in 0..height as usize {
            let line = &pixels[y * row..y * row + width as usize * channels];
            for p in line.chunks_exact(channels) {
                *colours.entry(p[..3.min(channels)].to_vec()).or_default() += 1;
            }
        }
        assert!(colours.len() > 1, "{name}: the picture is blank");
        // The boxes are filled: a stream's (or an existing stream's) colour shows, give or
        // take the browser's colour conversion.
        let near = |want: [u8; 3]| {
            colours
                .keys()
                .any(|c| c.len() == 3 && c.iter().zip(want).all(|(&a, b)| a.abs_diff(b) <= 4))
        };
        let mut common: Vec<(&Vec<u8>, &usize)> = colours.iter().collect();
        common.sort_by_key(|(_, n)| std::cmp::Reverse(**n));
        assert!(
            near([0xe8, 0xf1, 0xfb]) || near([0xf4, 0xf6, 0xf8]),
            "{name}: no stream box in the picture; the commonest colours: {:?}",
            &common[..common.len().min(8)]
        );
    }
}
