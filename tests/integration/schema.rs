//! The JSON Schema: committed and generated agree; the real `jsonschema` (Python, pinned in
//! `.ci/requirements.txt`) accepts every stack stackwire compiles, rejects the structural
//! mistakes of `fixtures/err`, and agrees with `parse` on documents generated from every key.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use serde_json::{Value, json};

use crate::support::fixture_paths;
use crate::support::{root, tools};
use stackwire::format::keys::{self, Key, Kind};

const SCHEMA_FILE: &str = "src/stack.schema.json";

/// `fixtures/err` files whose mistake is semantic, not structural: a rule across keys, across
/// resources or wires, or about a value's content (ARN shapes, names, runtimes, limits), which
/// `check` enforces and the schema of the format does not express. The schema accepts each of
/// them (the test checks that too, so this list stays exact).
const SEMANTIC: &[&str] = &[
    // A valid stack that `--target cloudformation` (its `# args`) cannot write.
    "needs_transform.yaml",
    // `account` is a string to the schema; its 12 digits are stackwire's check.
    "invalid_account.yaml",
    // Pass-through content: what a reference names, a tag's name, names defined twice.
    "defined_twice.yaml",
    "defined_twice-env-config-entry.yaml",
    "duplicate_event_name.yaml",
    "unknown_attribute.yaml",
    "unknown_policy_template.yaml",
    "unknown_reference.yaml",
    "unknown_tag.yaml",
    // Wires: their ends, kinds, and which keys apply, follow from the resources they name.
    "duplicate_wire.yaml",
    "self_wire.yaml",
    "unknown_wire_end.yaml",
    "unsupported_wire-function-to-function.yaml",
    "unsupported_wire-every-pair.yaml",
    "unsupported_wire.yaml",
    "wire_key_kind-access-on-event.yaml",
    "wire_key_kind.yaml",
    "wire_kind_mismatch.yaml",
    // Rules across keys of one mapping.
    "existing_stream_conflict-env.yaml",
    "existing_stream_conflict.yaml",
    "on_demand_shard_count.yaml",
    "starting_position_timestamp-without-at-timestamp.yaml",
    "starting_position_timestamp.yaml",
    // Names, variables and parameters across the stack, and what stackwire and SAM generate.
    "env_var_collision-two-wires.yaml",
    "env_var_collision.yaml",
    "generated_id_collision-event.yaml",
    "generated_id_collision.yaml",
    "generated_id_too_long.yaml",
    "parameter_collision-two-streams.yaml",
    "parameter_collision.yaml",
    "missing_environment.yaml",
    "duplicate_name.yaml",
    "nothing_created.yaml",
    // A value's content: ARNs, KMS keys, names, paths, tags, runtimes, patterns.
    "invalid_arn-on-failure.yaml",
    "invalid_arn.yaml",
    "invalid_env_var-wire-override.yaml",
    "invalid_env_var.yaml",
    "invalid_filter-empty.yaml",
    "invalid_kms_key.yaml",
    "invalid_logical_id-length.yaml",
    "invalid_logical_id-unicode.yaml",
    "invalid_logical_id.yaml",
    "invalid_name-description-substitution.yaml",
    "invalid_name-empty-handler.yaml",
    "invalid_name-handler-whitespace.yaml",
    "invalid_name-env-path.yaml",
    "invalid_name-stack-name-room.yaml",
    "invalid_name-substitution.yaml",
    "invalid_name.yaml",
    "invalid_policy.yaml",
    "invalid_source.yaml",
    "invalid_tag-line-break.yaml",
    "invalid_tag.yaml",
    "reserved_env_var.yaml",
    "secure_dynamic_reference.yaml",
    // How many tags a stream has (the schema lists a mapping's keys, not how many there are).
    "too_many_tags.yaml",
    "retired_runtime.yaml",
    "unknown_runtime.yaml",
    // CloudFormation's limits on the whole template.
    "template_too_large.yaml",
    // IAM's and Lambda's quotas on what a Function's role and environment add up to.
    "environment_too_large.yaml",
    "inline_policies_too_large.yaml",
    "managed_policies_over_limit.yaml",
    "too_many_parameters.yaml",
    "too_many_resources.yaml",
];

/// `fixtures/err` files with a key written twice in one mapping: as JSON the mapping holds one
/// of the two, so no JSON Schema can see the mistake (the schema accepts them).
const DUPLICATE_KEYS: &[&str] = &[
    "duplicate_key-every-level.yaml",
    "duplicate_key-resource.yaml",
    "duplicate_key.yaml",
];

/// `fixtures/err` files that are not one YAML 1.2 document of plain values, so there is nothing
/// to hand a JSON Schema validator: broken syntax, bytes that are not UTF-8, two documents, tags.
const NOT_YAML: &[&str] = &[
    "invalid_utf8-utf16-bom.yaml",
    "invalid_utf8.yaml",
    "yaml_syntax-alias-bomb.yaml",
    "yaml_syntax-binary-tag.yaml",
    "yaml_syntax-merge-scalar.yaml",
    "yaml_syntax-recursive-alias.yaml",
    "yaml_syntax-two-documents.yaml",
    "yaml_syntax-unclosed-flow-mapping.yaml",
    "yaml_syntax.yaml",
];

/// A stack file read as stackwire reads it (YAML 1.2, strict booleans), as JSON: a short-form
/// intrinsic function (`!Ref X`) becomes its long form (`{"Ref": "X"}`), as CloudFormation
/// reads it; of a repeated key, the last.
fn yaml_to_json(bytes: &[u8]) -> Option<Value> {
    use stackwire::format::node::{Node, Value as N};
    fn json(node: &Node) -> Value {
        let value = match &node.value {
            N::Null => Value::Null,
            N::Bool(b) => json!(b),
            N::Int(i) => i64::try_from(*i).map_or_else(|_| json!(*i as f64), |i| json!(i)),
            N::Float(f) => json!(f),
            N::Str(s) => json!(s),
            N::Seq(items) => Value::Array(items.iter().map(json).collect()),
            N::Map(entries) => {
                let mut map = serde_json::Map::new();
                for (k, v) in entries {
                    let key = match json(k) {
                        Value::String(s) => s,
                        other => other.to_string(),
                    };
                    map.insert(key, json(v));
                }
                Value::Object(map)
            }
        };
        match node.tag.as_deref().map(|t| t.trim_start_matches('!')) {
            None => value,
            Some(name @ ("Ref" | "Condition")) => json!({ name: value }),
            Some(name) => json!({ format!("Fn::{name}"): value }),
        }
    }
    let text = std::str::from_utf8(bytes).ok()?;
    match stackwire::format::yaml::read(text) {
        Ok(root) => Some(json(&root)),
        // A file of nothing but comments is YAML: the null document.
        Err(stackwire::diagnostics::Problem::EmptyStack { .. }) => Some(Value::Null),
        Err(_) => None,
    }
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Validates every document with the real `jsonschema`, in one run; returns each name's errors.
fn validate(documents: &[(String, Value)]) -> BTreeMap<String, Vec<String>> {
    let bin = tools();
    let work =
        tempfile::tempdir().unwrap_or_else(|e| panic!("cannot make a temporary folder: {e}"));
    let input = work.path().join("documents.json");
    let list: Vec<Value> = documents
        .iter()
        .map(|(name, instance)| json!({"name": name, "instance": instance}))
        .collect();
    let text = serde_json::to_string(&list).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(&input, text)
        .unwrap_or_else(|e| panic!("cannot write {}: {e}", input.display()));
    let out = Command::new(bin.join("python"))
        .arg(root().join(".ci/validate_schema.py"))
        .arg(root().join(SCHEMA_FILE))
        .arg(&input)
        .output()
        .unwrap_or_else(|e| panic!("cannot run validate_schema.py: {e}"));
    assert!(
        out.status.success(),
        "validate_schema.py failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("validate_schema.py printed no verdicts ({e})"))
}

#[test]
fn the_committed_schema_is_the_generated_one() {
    let path = root().join(SCHEMA_FILE);
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    let generated = stackwire::schema::generate();
    if committed != generated {
        let diff = stackwire::output::unified_diff(&committed, &generated, SCHEMA_FILE);
        panic!(
            "{SCHEMA_FILE} differs from what `stackwire schema` prints (the key tables in src/keys.rs changed). Regenerate it and commit the result:\n\n    cargo run -- schema > {SCHEMA_FILE}\n\n{diff}"
        );
    }
}

#[test]
fn the_schema_command_prints_it() {
    let (mut stdout, mut stderr) = (Vec::new(), Vec::new());
    let mut io = stackwire::Io {
        stdin: &mut &b""[..],
        stdout: &mut stdout,
        stderr: &mut stderr,
        color: false,
    };
    let code = stackwire::run(["stackwire", "schema"], &mut io);
    assert_eq!(code, 0, "{}", String::from_utf8_lossy(&stderr));
    let printed = String::from_utf8_lossy(&stdout);
    assert_eq!(printed, stackwire::schema::generate());
    let schema: Value = serde_json::from_str(&printed).unwrap_or_else(|e| panic!("not JSON: {e}"));
    assert_eq!(schema["$schema"], "http://json-schema.org/draft-07/schema#");
    assert_eq!(
        // `shardCount` also takes an intrinsic function: its own range is the first choice.
        schema["definitions"]["Stream"]["properties"]["shardCount"]["anyOf"][0]["maximum"],
        100_000
    );
}

/// ok and warn fixtures validate; err fixtures are rejected unless listed as semantic (then
/// accepted) or as not YAML (then they do not convert).
#[test]
fn the_schema_accepts_what_compiles_and_rejects_structural_mistakes() {
    let mut documents = Vec::new();
    let mut expected_valid = BTreeMap::new();
    let mut not_yaml = Vec::new();
    for kind in ["ok", "warn", "err"] {
        for path in fixture_paths(kind) {
            let name = file_name(&path);
            let bytes = std::fs::read(&path).unwrap_or_default();
            let Some(instance) = yaml_to_json(&bytes) else {
                not_yaml.push(name);
                continue;
            };
            let valid = kind != "err"
                || SEMANTIC.contains(&name.as_str())
                || DUPLICATE_KEYS.contains(&name.as_str());
            let key = format!("{kind}/{name}");
            expected_valid.insert(key.clone(), valid);
            documents.push((key, instance));
        }
    }
    assert!(documents.len() > 60, "only {} fixtures", documents.len());
    assert_eq!(not_yaml, NOT_YAML, "err fixtures that are not YAML");
    for name in SEMANTIC.iter().chain(DUPLICATE_KEYS) {
        assert!(
            expected_valid.contains_key(&format!("err/{name}")),
            "{name} is listed, but is not an err fixture that converts to JSON"
        );
    }
    // The structural mistakes the schema must catch are all there.
    let rejected: Vec<&String> = expected_valid
        .iter()
        .filter(|(name, valid)| name.starts_with("err/") && !**valid)
        .map(|(name, _)| name)
        .collect();
    for prefix in [
        "unknown_key",
        "wrong_type",
        "out_of_range",
        "invalid_choice",
        "missing_key",
        "too_long",
        "no_resources",
        "unknown_resource_type",
    ] {
        assert!(
            rejected
                .iter()
                .any(|n| n.starts_with(&format!("err/{prefix}"))),
            "no {prefix} fixture is expected to be rejected"
        );
    }

    let verdicts = validate(&documents);
    let mut wrong = Vec::new();
    for (name, valid) in &expected_valid {
        let errors = verdicts
            .get(name)
            .cloned()
            .unwrap_or_else(|| vec!["no verdict".to_owned()]);
        if errors.is_empty() != *valid {
            let what = if *valid {
                "should validate"
            } else {
                "should be rejected (or, if the schema cannot express it, be listed in SEMANTIC)"
            };
            wrong.push(format!("{name} {what}: {errors:?}"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// A stack with a Stream `S`, a Function `F`, an event wire S -> F and a discovery wire F -> S:
/// valid for both the parser and the schema.
fn base() -> Value {
    json!({
        "resources": {
            "S": {"type": "Stream"},
            "F": {"type": "Function", "runtime": "nodejs22.x", "handler": "index.handler"},
        },
        "wires": [{"from": "S", "to": "F"}, {"from": "F", "to": "S"}],
    })
}

/// Values for a key of this kind, each with whether the parser (and so the schema) takes it.
fn samples<M>(kind: &Kind<M>) -> Vec<(Value, bool)> {
    let mut s = vec![];
    match kind {
        Kind::ResourceType(name) => {
            s.extend([
                (json!(name), true),
                (json!("Queue"), false),
                (json!(1), false),
            ]);
        }
        Kind::Str { max_len, .. } => {
            s.extend([(json!("x"), true), (json!(5), false), (json!(true), false)]);
            s.extend([(json!(["x"]), false), (json!({"a": "b"}), false)]);
            if let Some(max) = max_len {
                s.push((json!("a".repeat(*max)), true));
                s.push((json!("a".repeat(max + 1)), false));
            }
        }
        Kind::Int { min, max, or, .. } => {
            let n = |v: i128| json!(i64::try_from(v).unwrap_or_else(|e| panic!("{e}")));
            s.extend([(n(*min), true), (n(*max), true), (n(max + 1), false)]);
            if or.is_none_or(|(v, _)| v != min - 1) {
                s.push((n(min - 1), false));
            }
            if let Some((v, _)) = or {
                s.push((n(*v), true));
            }
            s.extend([(json!(min.to_string()), false), (json!(true), false)]);
        }
        Kind::Bool(_) => {
            s.extend([(json!(true), true), (json!(false), true)]);
            s.extend([
                (json!("yes"), false),
                (json!("true"), false),
                (json!(1), false),
            ]);
        }
        Kind::Choice { names, .. } => {
            s.extend(names.iter().map(|n| (json!(n), true)));
            s.extend([(json!("bogus"), false), (json!(1), false)]);
        }
        Kind::StrMap(_) => {
            s.extend([(json!({"A1": "b"}), true), (json!({}), true)]);
            s.extend([(json!({"A1": 1}), false), (json!(["A1=b"]), false)]);
        }
        Kind::StrList(_) => {
            s.extend([(json!(["x"]), true), (json!([]), true)]);
            s.extend([(json!("x"), false), (json!([1]), false)]);
        }
        Kind::Patterns(_) => {
            s.extend([(json!([{"data": {"kind": ["a"]}}]), true)]);
            s.extend([(json!("x"), false), (json!({"data": 1}), false)]);
        }
        Kind::Map(table) => {
            s.extend([
                (json!({}), true),
                (json!("x"), false),
                (json!({"bogus": "x"}), false),
            ]);
            for key in table.iter() {
                for (value, ok) in samples(&key.kind) {
                    s.push((json!({ key.name: value }), ok));
                }
            }
        }
        Kind::Existing { forms, .. } => {
            let arn = "arn:aws:kinesis:us-east-1:123456789012:stream/orders";
            s.extend([(json!(arn), true), (json!(5), false), (json!({}), false)]);
            s.extend([(json!({"bogus": "x"}), false), (json!(["x"]), false)]);
            for form in forms.iter() {
                s.extend([
                    (json!({ form.name: "X1" }), true),
                    (json!({ form.name: 1 }), false),
                ]);
            }
            let all: serde_json::Map<String, Value> = forms
                .iter()
                .map(|f| (f.name.to_owned(), json!("X1")))
                .collect();
            s.push((Value::Object(all), false));
        }
        Kind::Resources(_) => {
            s.extend([(json!({}), false), (json!("x"), false), (json!([]), false)]);
        }
        Kind::Wires(_) => {
            s.extend([(json!([]), true), (json!("x"), false), (json!([5]), false)]);
        }
        Kind::Template(_) => {
            s.extend([(json!({}), true), (json!("x"), false), (json!([]), false)]);
            s.extend([
                (json!({"Outputs": {"A": {"Value": "x"}}}), true),
                (json!({"Output": {}}), false),
                (json!({"Description": "x"}), false),
                (json!({"Resources": "x"}), false),
            ]);
        }
        Kind::Properties { owned, .. } => {
            s.extend([(json!({}), true), (json!({"Other1": [1]}), true)]);
            s.extend([(json!("x"), false), (json!([]), false)]);
            for (property, _) in owned.iter() {
                s.push((json!({ *property: 1 }), false));
            }
        }
        Kind::Env(_) => {
            s.extend([(json!({"A1": "b"}), true), (json!({}), true)]);
            s.extend([(json!({"A1": {"Ref": "AWS::Region"}}), true)]);
            s.extend([(json!({"A1": 1}), false), (json!(["A1=b"]), false)]);
        }
        Kind::Source { .. } => {
            s.extend([(json!("x"), true), (json!(5), false), (json!([]), false)]);
            s.extend([
                (json!({"Bucket": "b", "Key": "k"}), true),
                (json!({"Bucket": "b", "Key": "k", "Version": "1"}), true),
                (json!({"Bucket": "b"}), false),
                (json!({"Bucket": "b", "Key": "k", "Other": "x"}), false),
                (json!({"Bucket": 1, "Key": "k"}), false),
            ]);
        }
        Kind::Policies(_) => {
            s.extend([(json!(["x"]), true), (json!([]), true)]);
            s.extend([(json!([{"Version": "2012-10-17", "Statement": []}]), true)]);
            s.extend([(json!("x"), false), (json!([1]), false)]);
        }
    }
    s
}

/// For one table: each key set to each sample value, a required key removed, an unknown key.
fn cases<M>(table: &[Key<M>], label: &str, at: &str, out: &mut Vec<(String, Value, bool)>) {
    let mut edit =
        |name: String, ok: bool, change: &dyn Fn(&mut serde_json::Map<String, Value>)| {
            let mut doc = base();
            if let Some(Value::Object(map)) = doc.pointer_mut(at) {
                change(map);
            }
            out.push((name, doc, ok));
        };
    for key in table {
        for (value, ok) in samples(&key.kind) {
            let name = format!("{label}.{} = {value}", key.name);
            edit(name, ok, &|m| {
                m.insert(key.name.to_owned(), value.clone());
            });
        }
        if key.required.is_some() {
            edit(format!("{label} without {}", key.name), false, &|m| {
                m.remove(key.name);
            });
        }
    }
    edit(format!("{label} with an unknown key"), false, &|m| {
        m.insert("shardCont".to_owned(), json!(1));
    });
}

/// For every key of every table, values of the right and wrong kinds, out of range, too long,
/// not among the choices; required keys left out; unknown keys. The parser and the schema must
/// each give the verdict the key's table implies: they read the same table.
#[test]
fn the_schema_and_the_parser_agree_on_every_key() {
    let mut generated = vec![("base".to_owned(), base(), true)];
    cases(keys::STACK, "top level", "", &mut generated);
    cases(
        stackwire::format::resources::stream::KEYS,
        "Stream",
        "/resources/S",
        &mut generated,
    );
    cases(
        stackwire::format::resources::function::KEYS,
        "Function",
        "/resources/F",
        &mut generated,
    );
    cases(keys::WIRE_END, "wire", "/wires/0", &mut generated);
    cases(keys::EVENT, "event wire", "/wires/0", &mut generated);
    cases(
        keys::DISCOVERY,
        "discovery wire",
        "/wires/1",
        &mut generated,
    );
    assert!(generated.len() > 200, "only {} cases", generated.len());

    let mut wrong = Vec::new();
    for (name, doc, ok) in &generated {
        // JSON is YAML 1.2: the parser reads the same document the schema sees.
        let text = doc.to_string();
        let (_, problems) = stackwire::format::parse::parse(&text);
        let errors: Vec<String> = problems
            .iter()
            .filter(|p| p.is_error())
            .map(ToString::to_string)
            .collect();
        if errors.is_empty() != *ok {
            wrong.push(format!(
                "parse: {name}: expected {}, got {errors:?}",
                verdict(*ok)
            ));
        }
    }
    let documents: Vec<(String, Value)> = generated
        .iter()
        .map(|(n, d, _)| (n.clone(), d.clone()))
        .collect();
    let verdicts = validate(&documents);
    for (name, _, ok) in &generated {
        let errors = verdicts
            .get(name)
            .cloned()
            .unwrap_or_else(|| vec!["no verdict".to_owned()]);
        if errors.is_empty() != *ok {
            wrong.push(format!(
                "schema: {name}: expected {}, got {errors:?}",
                verdict(*ok)
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

fn verdict(ok: bool) -> &'static str {
    if ok { "valid" } else { "invalid" }
}
