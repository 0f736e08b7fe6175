//! The output formats (`--format`), one file each, behind one trait: [`Render`].
//!
//! A format is told three things, and answers each with the text to write at once (empty for
//! nothing): a file's problems ([`Render::file`]), a failure of the run ([`Render::failure`]),
//! and the end of the run ([`Render::finish`]). `human` and `github` write file by file as they
//! come; `json` and `sarif` gather everything and write one document at the end.
//!
//! Adding a format: a file here with a type that implements [`Render`], a variant of [`Format`],
//! and its line in [`Format::renderer`].

use clap::ValueEnum;

use crate::diagnostics::Problem;
use crate::diagnostics::reporter::Sink;

mod entry;
mod github;
mod human;
mod json;
mod listed;
mod paths;
mod sarif;

pub use entry::{Entry, Label, entries};
pub use github::{escape_data, escape_property};
pub use human::{FileReport, MAX_SHOWN_PROBLEMS};
pub use listed::MAX_LISTED;

/// `--format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum Format {
    /// A report for people, the offending text underlined (standard error)
    #[default]
    Human,
    /// One JSON document listing every diagnostic
    Json,
    /// GitHub Actions workflow commands (`::error file=...::message`)
    Github,
    /// SARIF 2.1.0, for code scanning
    Sarif,
}

impl Format {
    /// The format's renderer, for a run drawn in `style`.
    pub fn renderer(self, style: Style) -> Box<dyn Render> {
        match self {
            Format::Human => Box::new(human::Human::new(style)),
            Format::Json => Box::<json::Json>::default(),
            Format::Github => Box::<github::Github>::default(),
            Format::Sarif => Box::<sarif::Sarif>::default(),
        }
    }
}

/// How the human report is drawn: `--color` resolved, and `--plain`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Style {
    pub color: bool,
    /// ASCII instead of box drawing.
    pub plain: bool,
}

/// A message about the run rather than a place in a stack: a file that could not be read or
/// written, a template that is out of date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// The file it is about, if one (never standard input, which has no file).
    pub file: Option<String>,
    pub message: String,
    /// The run could not do its work (a file could not be read or written), as opposed to a
    /// finding (`--check`: out of date).
    pub fatal: bool,
}

/// What one output format does with a run's diagnostics. Each method returns the text to
/// write now, empty for nothing.
pub trait Render {
    /// The stream the format writes to, given the one the command asked for.
    fn sink(&self, asked: Sink) -> Sink {
        asked
    }

    /// The problems of one file: `name` as it is to be shown, `text` its contents.
    fn file(&mut self, name: &str, text: String, problems: Vec<Problem>) -> String;

    /// A failure of the run, or a finding about it.
    fn failure(&mut self, failure: Failure) -> String;

    /// The end of the run.
    fn finish(self: Box<Self>) -> String;
}
