//! Structure-aware: arbitrary text as the value of every free-text key of a valid stack (a tag
//! value, the handler, the function's description, an environment variable), so every input
//! that `check` accepts reaches `lower` and `emit`.
//!
//! The oracle is emit's quoting: the template must read back (serde-saphyr, which reads YAML 1.1
//! words such as `yes` written plain as booleans) with each value exactly the text given. Text
//! holding `${` is written as `!Join ['', [...]]`, read back as `["", [parts]]`.

#![no_main]

use libfuzzer_sys::fuzz_target;
use serde_json::Value;

fn text_of(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Array(items) if items.len() == 2 && items[0] == Value::from("") => {
            items[1].as_array()?.iter().map(|p| p.as_str()).collect()
        }
        _ => None,
    }
}

fuzz_target!(|text: &str| {
    let q = serde_json::to_string(text).expect("a string is JSON");
    let stack = format!(
        "resources:\n  S:\n    type: Stream\n    tags:\n      k: {q}\n  F:\n    type: Function\n    runtime: nodejs22.x\n    handler: {q}\n    description: {q}\n    environment:\n      VAR: {q}\nwires:\n  - from: F\n    to: S\n"
    );
    let compiled = stackwire::compile(stack.as_bytes(), &stackwire::Options::default());
    let Some(template) = compiled.template else {
        // Rejected values (empty or too long a handler, ...) are rejected with a reason.
        assert!(compiled.problems.iter().any(|p| p.is_error()));
        return;
    };
    let read: Value = serde_saphyr::from_str(&template)
        .unwrap_or_else(|e| panic!("the template is not YAML: {e}\n{template}"));
    let f = &read["Resources"]["F"]["Properties"];
    let values = [
        (
            "tag",
            &read["Resources"]["S"]["Properties"]["Tags"][0]["Value"],
        ),
        ("handler", &f["Handler"]),
        ("description", &f["Description"]),
        ("variable", &f["Environment"]["Variables"]["VAR"]),
    ];
    for (what, value) in values {
        assert_eq!(
            text_of(value).as_deref(),
            Some(text),
            "{what} did not read back as written\n{template}"
        );
    }
});
