//! The stack format and stage 1, reading it: YAML with a span on every value ([`node`]), the
//! typed model ([`model`]), the key tables that say what each mapping takes ([`keys`]), the
//! resource types ([`resources`]), and the reader that fills the model by those tables
//! ([`parse`]).

pub mod build;
pub mod keys;
pub mod model;
pub mod node;
pub mod parse;
pub mod passthru;
pub mod resources;
pub mod rules;
pub mod scalar_tags;
pub mod yaml;
