//! The Logical IDs SAM derives from a Function's: `check` uses them (through the target) to find
//! collisions before `lower` writes them, so both go through these functions.

/// The IAM role SAM creates for a function.
pub fn role(function: &str) -> String {
    crate::ids::join(&[function, "Role"])
}

/// The `AWS::Lambda::EventSourceMapping` SAM creates for a function's event, which stackwire
/// names after the stream.
pub fn event_source_mapping(function: &str, stream: &str) -> String {
    crate::ids::join(&[function, stream])
}
