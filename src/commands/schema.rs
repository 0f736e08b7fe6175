//! `stackwire schema`: the JSON Schema of the stack description on standard output.

use crate::io::Io;

pub fn run(io: &mut Io<'_>) -> i32 {
    super::print(io, crate::schema::generate().as_bytes(), "the schema")
}
