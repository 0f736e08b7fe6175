//! Diagnostics: every problem stackwire reports, and every format it reports them in.
//!
//! - [`problem`]: the catalogue, one [`Problem`] enum with a stable code per variant
//!   ([`Problem::CODES`]), its messages, help and severities.
//! - [`line_index`]: byte offsets to lines and columns, one index every format shares.
//! - [`render`]: the formats (`human`, `json`, `github`, `sarif`), one file each behind the
//!   [`render::Render`] trait.
//! - [`reporter`]: the [`Reporter`] commands write through, a small front over the trait.

mod define;
pub mod escape;
pub mod line_index;
pub mod problem;
pub mod render;
pub mod reporter;

pub use escape::escaped;
pub use line_index::{LineIndex, Location, Position};
pub use problem::Problem;
pub use render::{
    Entry, FileReport, Format, Label, MAX_SHOWN_PROBLEMS, entries, escape_data, escape_property,
};
pub use reporter::{ColorChoice, Reporter, STDIN, Sink, auto_color};

/// `1447109` as `1,447,109`.
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}
