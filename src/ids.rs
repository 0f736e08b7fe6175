//! The Logical IDs and names stackwire derives from the stack's own IDs, whatever the target
//! (a target's own, such as SAM's roles, are in its folder). `check` uses them to find
//! collisions before a target writes them, so both go through these functions.

use crate::limits::MAX_LOGICAL_ID;

/// The `AWS::Kinesis::StreamConsumer` of a fan-out wire.
pub fn consumer(stream: &str, function: &str) -> String {
    join(&[stream, function, "Consumer"])
}

/// `parts` one after the other, in one allocation of their length (an ID is made for every
/// resource of a stack, and `format!` costs several times as much).
pub fn join(parts: &[&str]) -> String {
    let mut joined = String::with_capacity(parts.iter().map(|p| p.len()).sum());
    for part in parts {
        joined.push_str(part);
    }
    joined
}

/// The template parameter of `existing: {env: <path>}`, as Stackery named it.
pub fn env_parameter(path: &str) -> String {
    let alnum: String = path.chars().filter(char::is_ascii_alphanumeric).collect();
    format!("EnvConfig{alnum}AsString")
}

/// The Parameter Store path below the environment that `existing: {env: <key>}` reads. A path
/// with a slash is read as written; a key without one is Stackery's dotted key, whose dots
/// Stackery turned into slashes (`lambda.memory-size` reads `lambda/memory-size`), so stackwire
/// reads the parameter Stackery read.
pub fn env_path(key: &str) -> String {
    if key.contains('/') {
        key.to_owned()
    } else {
        key.replace('.', "/")
    }
}

/// The condition of `existing: {parameter: ...}` that holds when a new stream is created.
pub fn create_condition(stream: &str) -> String {
    format!("{stream}CreateNewResource")
}

/// Whether a Logical ID is well-formed: 1 to [`MAX_LOGICAL_ID`] ASCII letters and digits.
pub fn is_logical_id(id: &str) -> bool {
    (1..=MAX_LOGICAL_ID).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_alphanumeric())
}

#[cfg(test)]
mod env_path_tests {
    use super::*;

    #[test]
    fn a_dotted_key_reads_the_slashed_path_stackery_read() {
        assert_eq!(env_path("lambda.memory-size"), "lambda/memory-size");
        assert_eq!(env_path("streams.clicks"), "streams/clicks");
        // Its parameter is named from the key as Stackery named it.
        assert_eq!(
            env_parameter("lambda.memory-size"),
            "EnvConfiglambdamemorysizeAsString"
        );
    }

    #[test]
    fn a_slashed_path_stays_as_it_is() {
        assert_eq!(env_path("streams/orders"), "streams/orders");
        assert_eq!(env_path("streams/orders.v2"), "streams/orders.v2");
        assert_eq!(env_path("orders"), "orders");
    }
}
