//! A generator of stack descriptions: `N` Functions, `M` Streams and `W` wires with realistic,
//! varied options, the same bytes for the same seed on every machine.
//!
//! The benchmark (`benches/stackwire.rs`) and the tests use it to make stacks of any size, from
//! 3 resources to far beyond CloudFormation's limit. Every stack it writes is valid input: within
//! the limits it compiles; above them, the only errors are the limit errors.
//!
//! The random numbers come from splitmix64, written out here: a few lines, fixed forever, so a
//! seed means the same stack in every version (no dependency whose output may change).

use std::collections::HashSet;
use std::fmt::Write as _;

use crate::check::MAX_RESOURCES;

/// How many of each thing a stack has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shape {
    pub functions: usize,
    pub streams: usize,
    /// Wires between them (at most two per Stream and Function pair: one of each kind).
    pub wires: usize,
}

impl Shape {
    /// A stack of `resources` resources (at least 2): two Streams for every three Functions,
    /// and three wires for every two resources, as in the bundled examples.
    pub fn resources(resources: usize) -> Shape {
        let resources = resources.max(2);
        let streams = (resources * 2 / 5).max(1);
        Shape {
            functions: resources - streams,
            streams,
            wires: resources * 3 / 2,
        }
    }
}

/// A generated stack description.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Generated {
    /// The YAML text.
    pub text: String,
    /// The shape it was made with (wires capped at what the pairs allow).
    pub shape: Shape,
    /// The resources the template would have after SAM's expansion, as CloudFormation counts
    /// them (the same count as `check::expanded_resource_count`).
    pub expanded_resources: usize,
}

/// The stack of `shape` for `seed`.
pub fn generate(shape: Shape, seed: u64) -> Generated {
    let plan = Plan::new(shape, seed);
    plan.write()
}

/// The largest valid stack for `seed`: exactly as many resources after SAM's expansion as
/// CloudFormation allows (`check::MAX_RESOURCES`).
pub fn at_limit(seed: u64) -> Generated {
    let mut best = Plan::new(Shape::resources(2), seed);
    for resources in 3..=MAX_RESOURCES {
        let plan = Plan::new(Shape::resources(resources), seed);
        if plan.expanded() > MAX_RESOURCES {
            break;
        }
        best = plan;
    }
    // Fill the rest with plain event subscriptions (one resource each: the event source
    // mapping), on pairs not yet wired that way; then, if every pair is taken, with streams.
    let mut missing = MAX_RESOURCES - best.expanded();
    let (streams, functions) = (best.stream_ids(), best.function_ids());
    'fill: for s in &streams {
        for f in &functions {
            if missing == 0 {
                break 'fill;
            }
            if best.pairs.insert((true, *s, *f)) {
                let options = String::from("    batchSize: 100\n");
                best.wires.push(WireSpec {
                    event: true,
                    stream: *s,
                    function: *f,
                    fan_out: false,
                    options,
                });
                missing -= 1;
            }
        }
    }
    while missing > 0 {
        let id = best.resources.len();
        best.resources.push(Resource::Stream(StreamSpec {
            created: true,
            options: String::from("    shardCount: 1\n"),
        }));
        best.names.push(format!("Buffer{id}"));
        missing -= 1;
    }
    best.write()
}

/// splitmix64 (Steele, Lea and Flood 2014): small, fast and well distributed.
#[derive(Debug, Clone)]
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n` > 0; the bias is negligible for the small `n` used here).
    fn below(&mut self, n: usize) -> usize {
        // u64 -> usize cannot lose anything that matters: the result is < n.
        (self.next_u64() % n.max(1) as u64) as usize
    }

    /// True with probability `percent` / 100.
    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    /// One of `items`, which is never empty here.
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

const NOUNS: &[&str] = &[
    "Orders",
    "Payments",
    "Clicks",
    "Telemetry",
    "Audit",
    "Inventory",
    "Shipments",
    "Logs",
    "Metrics",
    "Sessions",
    "Invoices",
    "Refunds",
    "Carts",
    "Reviews",
    "Alerts",
    "Devices",
];
const VERBS: &[&str] = &[
    "Process",
    "Enrich",
    "Archive",
    "Index",
    "Publish",
    "Aggregate",
    "Route",
    "Validate",
    "Notify",
    "Sync",
    "Score",
    "Export",
];
/// Current runtimes (no deprecation warning), each with a handler in its language's form.
const RUNTIMES: &[(&str, &str)] = &[
    ("nodejs22.x", "index.handler"),
    ("nodejs24.x", "dist/app.handler"),
    ("python3.13", "app.handler"),
    ("python3.12", "handler.main"),
    ("java21", "com.example.Handler::handleRequest"),
    ("dotnet10", "App::App.Function::Handler"),
];
const MANAGED_POLICIES: &[&str] = &[
    "AmazonDynamoDBReadOnlyAccess",
    "AmazonS3ReadOnlyAccess",
    "arn:aws:iam::aws:policy/AWSXrayWriteOnlyAccess",
    "arn:aws:iam::123456789012:policy/shared-secrets-read",
];
const DESTINATIONS: &[&str] = &[
    "arn:aws:sqs:us-east-1:123456789012:stream-dlq",
    "arn:aws:sns:us-east-1:123456789012:stream-failures",
    "arn:aws:s3:::stream-failures",
];
/// At most this many Streams read their ARN from a template parameter (CloudFormation allows
/// 200 parameters; the generator stays well under, at any size).
const MAX_PARAMETER_STREAMS: usize = 50;

enum Resource {
    Stream(StreamSpec),
    Function(String),
}

struct StreamSpec {
    /// Created by the template (or a parameter's condition): counts against the limit.
    created: bool,
    options: String,
}

struct WireSpec {
    /// Stream -> Function (event subscription), else Function -> Stream (service discovery).
    event: bool,
    stream: usize,
    function: usize,
    fan_out: bool,
    options: String,
}

/// Every decision, before the text is written.
struct Plan {
    seed: u64,
    names: Vec<String>,
    resources: Vec<Resource>,
    wires: Vec<WireSpec>,
    /// (event?, stream, function) pairs already wired.
    pairs: HashSet<(bool, usize, usize)>,
}

impl Plan {
    fn new(shape: Shape, seed: u64) -> Plan {
        let mut rng = Rng::new(seed);
        let total = shape.functions + shape.streams;
        let mut plan = Plan {
            seed,
            names: Vec::with_capacity(total),
            resources: Vec::with_capacity(total),
            wires: Vec::new(),
            pairs: HashSet::new(),
        };
        // Streams spread evenly among the Functions, as people draw them: a stream, then the
        // functions around it.
        let mut parameters = 0;
        for i in 0..total {
            let is_stream =
                (i + 1) * shape.streams / total.max(1) > i * shape.streams / total.max(1);
            let noun = rng.pick(NOUNS);
            if is_stream {
                let name = format!("{noun}{i}");
                let spec = stream(&mut rng, &name, &mut parameters);
                plan.names.push(name);
                plan.resources.push(Resource::Stream(spec));
            } else {
                let name = format!("{}{noun}{i}", rng.pick(VERBS));
                plan.names.push(name);
                plan.resources
                    .push(Resource::Function(function(&mut rng, i)));
            }
        }
        let (streams, functions) = (plan.stream_ids(), plan.function_ids());
        let possible = 2 * streams.len() * functions.len();
        let wanted = shape.wires.min(possible);
        let mut pairs: Vec<(bool, usize, usize)> = Vec::with_capacity(wanted);
        if wanted * 2 >= possible {
            // Dense: every pair, shuffled (Fisher-Yates), then the first `wanted`.
            let mut all: Vec<(bool, usize, usize)> = Vec::with_capacity(possible);
            for &s in &streams {
                for &f in &functions {
                    all.push((true, s, f));
                    all.push((false, s, f));
                }
            }
            for i in (1..all.len()).rev() {
                let j = rng.below(i + 1);
                all.swap(i, j);
            }
            all.truncate(wanted);
            pairs = all;
        } else {
            // Sparse: draw pairs, mostly near each other in the file, skipping repeats.
            let mut seen = HashSet::with_capacity(wanted);
            while pairs.len() < wanted {
                let s = *rng.pick(&streams);
                let f = if rng.chance(80) {
                    // A function within a few resources of the stream.
                    let near = functions.partition_point(|&f| f < s);
                    let lo = near.saturating_sub(4);
                    let hi = (near + 4).min(functions.len());
                    functions[lo + rng.below(hi - lo)]
                } else {
                    *rng.pick(&functions)
                };
                let pair = (rng.chance(60), s, f);
                if seen.insert(pair) {
                    pairs.push(pair);
                }
            }
        }
        // In the file, wires are listed by where their ends are, as a person would group them.
        pairs.sort_by_key(|&(event, s, f)| if event { (s, f) } else { (f, s) });
        for (event, s, f) in pairs {
            plan.pairs.insert((event, s, f));
            let (fan_out, options) = if event {
                event_options(&mut rng)
            } else {
                (false, discovery_options(&mut rng, &plan.names[s]))
            };
            plan.wires.push(WireSpec {
                event,
                stream: s,
                function: f,
                fan_out,
                options,
            });
        }
        plan
    }

    fn stream_ids(&self) -> Vec<usize> {
        let is = |r: &Resource| matches!(r, Resource::Stream(_));
        (0..self.resources.len())
            .filter(|&i| is(&self.resources[i]))
            .collect()
    }

    fn function_ids(&self) -> Vec<usize> {
        let is = |r: &Resource| matches!(r, Resource::Function(_));
        (0..self.resources.len())
            .filter(|&i| is(&self.resources[i]))
            .collect()
    }

    /// Resources after SAM's expansion: each created stream 1; each function 2 (itself and its
    /// role) plus one event source mapping per event; each fan-out consumer 1.
    fn expanded(&self) -> usize {
        let resources: usize = self
            .resources
            .iter()
            .map(|r| match r {
                Resource::Stream(s) => usize::from(s.created),
                Resource::Function(_) => 2,
            })
            .sum();
        let wires: usize = self
            .wires
            .iter()
            .map(|w| usize::from(w.event) + usize::from(w.fan_out))
            .sum();
        resources + wires
    }

    fn write(&self) -> Generated {
        let streams = self.stream_ids().len();
        let functions = self.resources.len() - streams;
        let mut text = String::with_capacity(self.resources.len() * 160 + self.wires.len() * 80);
        let _ = writeln!(
            text,
            "# Generated by stackwire's generator (seed {}): {functions} Functions, {streams} Streams, {} wires.",
            self.seed,
            self.wires.len()
        );
        let _ = writeln!(text, "stack: generated-{}", self.seed);
        text.push_str("description: A generated stack for benchmarks and tests\nresources:\n");
        for (name, resource) in self.names.iter().zip(&self.resources) {
            let _ = writeln!(text, "  {name}:");
            match resource {
                Resource::Stream(s) => {
                    text.push_str("    type: Stream\n");
                    text.push_str(&s.options);
                }
                Resource::Function(options) => {
                    text.push_str("    type: Function\n");
                    text.push_str(options);
                }
            }
        }
        if !self.wires.is_empty() {
            text.push_str("wires:\n");
        }
        for w in &self.wires {
            let (stream, function) = (&self.names[w.stream], &self.names[w.function]);
            if w.event {
                let _ = writeln!(text, "  - from: {stream}\n    to: {function}");
            } else {
                let _ = writeln!(text, "  - from: {function}\n    to: {stream}");
            }
            text.push_str(&w.options);
        }
        Generated {
            text,
            shape: Shape {
                functions,
                streams,
                wires: self.wires.len(),
            },
            expanded_resources: self.expanded(),
        }
    }
}

fn stream(rng: &mut Rng, name: &str, parameters: &mut usize) -> StreamSpec {
    let mut o = String::new();
    let lower = name.to_ascii_lowercase();
    if rng.chance(8) {
        let _ = writeln!(
            o,
            "    existing: arn:aws:kinesis:us-east-1:123456789012:stream/{lower}"
        );
        return StreamSpec {
            created: false,
            options: o,
        };
    }
    if *parameters < MAX_PARAMETER_STREAMS && rng.chance(3) {
        *parameters += 1;
        let _ = writeln!(o, "    existing: {{parameter: {name}Arn}}");
        if rng.chance(50) {
            o.push_str("    retentionHours: 168\n");
        }
        return StreamSpec {
            created: true,
            options: o,
        };
    }
    if rng.chance(30) {
        let _ = writeln!(o, "    name: ${{AWS::StackName}}-{lower}");
    }
    if rng.chance(15) {
        o.push_str("    mode: onDemand\n");
    } else if rng.chance(70) {
        let _ = writeln!(o, "    shardCount: {}", rng.pick(&[1, 2, 4, 8, 16]));
    }
    if rng.chance(30) {
        let _ = writeln!(o, "    retentionHours: {}", rng.pick(&[48, 168, 720]));
    }
    match rng.below(20) {
        0..=1 => o.push_str("    encryption: none\n"),
        2..=3 => {
            let _ = writeln!(o, "    encryption: alias/{lower}");
        }
        4 => o.push_str(
            "    encryption: arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab\n",
        ),
        5 => o.push_str("    encryption: aws\n"),
        _ => {}
    }
    if rng.chance(20) {
        o.push_str("    retain: false\n");
    }
    if rng.chance(40) {
        let _ = writeln!(
            o,
            "    tags:\n      team: {}\n      cost-center: '{}'",
            rng.pick(&["data", "commerce", "platform", "growth"]),
            1000 + rng.below(9000)
        );
    }
    StreamSpec {
        created: true,
        options: o,
    }
}

fn function(rng: &mut Rng, index: usize) -> String {
    let mut o = String::new();
    let (runtime, handler) = rng.pick(RUNTIMES);
    let _ = writeln!(o, "    runtime: {runtime}\n    handler: {handler}");
    if rng.chance(20) {
        let _ = writeln!(o, "    source: services/fn{index}");
    }
    if rng.chance(10) {
        let _ = writeln!(o, "    name: ${{AWS::StackName}}-fn{index}");
    }
    if rng.chance(50) {
        let _ = writeln!(o, "    memory: {}", rng.pick(&[128, 256, 512, 1024, 2048]));
    }
    if rng.chance(50) {
        let _ = writeln!(o, "    timeout: {}", rng.pick(&[10, 30, 60, 300, 900]));
    }
    if rng.chance(30) {
        let _ = writeln!(o, "    architecture: {}", rng.pick(&["arm64", "x86_64"]));
    }
    if rng.chance(20) {
        o.push_str("    tracing: true\n");
    }
    if rng.chance(30) {
        o.push_str("    description: 'Reads records, writes results: generated'\n");
    }
    if rng.chance(50) {
        let _ = writeln!(
            o,
            "    environment:\n      LOG_LEVEL: {}\n      TABLE_NAME: table-{index}",
            rng.pick(&["info", "debug", "warn"])
        );
    }
    if rng.chance(20) {
        let _ = writeln!(o, "    policies:\n      - {}", rng.pick(MANAGED_POLICIES));
    }
    o
}

/// An event subscription's options, and whether it reads through a fan-out consumer.
fn event_options(rng: &mut Rng) -> (bool, String) {
    let mut o = String::new();
    if rng.chance(60) {
        let _ = writeln!(
            o,
            "    batchSize: {}",
            rng.pick(&[10, 100, 500, 1000, 10_000])
        );
    }
    match rng.below(10) {
        0..=1 => o.push_str("    startingPosition: LATEST\n"),
        2 => o.push_str("    startingPosition: TRIM_HORIZON\n"),
        3 => o.push_str(
            "    startingPosition: AT_TIMESTAMP\n    startingPositionTimestamp: 1767225600\n",
        ),
        _ => {}
    }
    if rng.chance(20) {
        let _ = writeln!(o, "    batchWindow: {}", 1 + rng.below(30));
    }
    if rng.chance(15) {
        let _ = writeln!(o, "    parallelization: {}", 1 + rng.below(10));
    }
    if rng.chance(20) {
        let _ = writeln!(o, "    retries: {}", rng.pick(&[-1, 0, 3, 10]));
    }
    if rng.chance(15) {
        let _ = writeln!(o, "    maxRecordAge: {}", rng.pick(&[-1, 3600, 86_400]));
    }
    if rng.chance(20) {
        o.push_str("    bisectOnError: true\n");
    }
    if rng.chance(5) {
        let _ = writeln!(o, "    tumblingWindow: {}", rng.pick(&[60, 300]));
    }
    if rng.chance(25) {
        o.push_str("    reportBatchItemFailures: true\n");
    }
    if rng.chance(15) {
        let _ = writeln!(o, "    onFailure: {}", rng.pick(DESTINATIONS));
    }
    if rng.chance(10) {
        let _ = writeln!(
            o,
            "    filters:\n      - data:\n          type: [{}]",
            rng.pick(&["created", "updated", "deleted"])
        );
    }
    if rng.chance(5) {
        o.push_str("    enabled: false\n");
    }
    let fan_out = rng.chance(10);
    if fan_out {
        o.push_str("    fanOut: true\n");
    }
    (fan_out, o)
}

fn discovery_options(rng: &mut Rng, stream: &str) -> String {
    let mut o = String::new();
    match rng.below(6) {
        0 => o.push_str("    access: read\n"),
        1 => o.push_str("    access: write\n"),
        2 => o.push_str("    access: readWrite\n"),
        _ => {}
    }
    if rng.chance(10) {
        let upper = stream.to_ascii_uppercase();
        let _ = writeln!(o, "    env: {{name: {upper}_NAME, arn: {upper}_ARN}}");
    }
    o
}
