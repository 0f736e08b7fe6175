//! `stackwire import` (SPEC 7): a SAM template, typically one Stackery's editor wrote, to the
//! stack description that compiles back to it.
//!
//! The engine: the template's text is read as compile reads a stack (`format::yaml`, the same
//! limits; JSON is YAML 1.2) -> its Stackery shapes are recognised (`shapes`) -> the stack
//! description is built as a value, keys in the order a person writes them, and written by
//! `emit` -> the report: a warning, with a place in the template, for each thing carried over
//! inexactly, and the [`Change`]s it makes to the deployed template (what the proof in
//! `tests/import.rs` allows to differ).

mod function;
mod read;
mod shapes;

use miette::SourceSpan;

use crate::diagnostics::Problem;

/// The outcome of importing one template.
#[derive(Debug)]
pub struct Imported {
    /// The template as text, for rendering diagnostics (lossy where it was not UTF-8).
    pub text: String,
    /// The stack description, when the template could be read.
    pub stack: Option<String>,
    /// Errors (nothing imported) or warnings (what was carried over inexactly), in template
    /// order.
    pub problems: Vec<Problem>,
    /// What deploying the imported stack over the template's stack changes, as the report
    /// says: resources and properties of the template as AWS's SAM translator expands it.
    pub changes: Vec<Change>,
    /// The environment the template's Parameter Store defaults name (`/prod/...`), if one.
    pub environment: Option<String>,
}

/// One resource, or one property of it, that the imported stack writes differently, in the
/// translated template (`Processor`, `ProcessorRole`, `ProcessorOrders`, ...).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Change {
    pub resource: String,
    /// `None`: the resource as a whole (removed, added, or all of it).
    pub property: Option<String>,
}

impl Change {
    pub fn resource(resource: &str) -> Change {
        Change {
            resource: resource.to_owned(),
            property: None,
        }
    }

    pub fn property(resource: &str, property: &str) -> Change {
        Change {
            resource: resource.to_owned(),
            property: Some(property.to_owned()),
        }
    }
}

/// Imports the bytes of a template.
pub fn import(bytes: &[u8]) -> Imported {
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            let at = e.valid_up_to();
            return Imported {
                text: String::from_utf8_lossy(bytes).into_owned(),
                stack: None,
                problems: vec![Problem::InvalidUtf8 {
                    span: SourceSpan::new(at.into(), '\u{FFFD}'.len_utf8()),
                    help: "save the template as UTF-8 (CloudFormation reads UTF-8 only)".to_owned(),
                }],
                changes: Vec::new(),
                environment: None,
            };
        }
    };
    let mut out = shapes::import(text);
    out.problems.sort_by_key(|p| {
        use miette::Diagnostic;
        p.labels()
            .and_then(|mut l| l.next())
            .map_or(0, |l| l.offset())
    });
    out.changes.sort();
    out.changes.dedup();
    out
}
