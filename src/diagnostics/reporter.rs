//! What commands report through: a [`Reporter`] in the format the command line asked for, over
//! that format's [`Render`], writing what it renders to the right stream.

use clap::ValueEnum;

use super::Problem;
use super::render::{Failure, Format, Render, Style};
use crate::Io;

/// The name diagnostics give standard input.
pub use crate::io::STDIN;

/// `--color`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum ColorChoice {
    /// Colour when standard error is a terminal and `NO_COLOR` is not set
    #[default]
    Auto,
    /// Always colour (even with `NO_COLOR` set)
    Always,
    /// Never colour
    Never,
}

/// What `--color auto` means: colour when standard error is a terminal, unless `NO_COLOR` is
/// set to something non-empty (no-color.org).
pub fn auto_color(stderr_is_terminal: bool, no_color: Option<&std::ffi::OsStr>) -> bool {
    stderr_is_terminal && no_color.is_none_or(|v| v.is_empty())
}

impl ColorChoice {
    /// Whether to colour, given what `auto` means here (`Io::color`).
    pub fn resolve(self, auto: bool) -> bool {
        match self {
            ColorChoice::Auto => auto,
            ColorChoice::Always => true,
            ColorChoice::Never => false,
        }
    }
}

/// Which stream a reporter writes its format to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sink {
    Stdout,
    Stderr,
}

/// Writes diagnostics in one format. `human` always writes to standard error; the other formats
/// write to the sink they are given, and nothing else goes there but their output.
pub struct Reporter {
    render: Box<dyn Render>,
    sink: Sink,
}

impl Reporter {
    pub fn new(format: Format, color: bool, plain: bool, sink: Sink) -> Self {
        let render = format.renderer(Style { color, plain });
        let sink = render.sink(sink);
        Reporter { render, sink }
    }

    /// Reports the problems of one file, `name` as it is to be shown.
    pub fn file(&mut self, io: &mut Io<'_>, name: &str, text: String, problems: Vec<Problem>) {
        let out = self.render.file(name, text, problems);
        write(self.sink, io, &out);
    }

    /// Reports a failure of the run (`fatal`: a file could not be read or written) or a finding
    /// about it (`--check`: out of date), about `file` if it is about one.
    pub fn failure(&mut self, io: &mut Io<'_>, file: Option<&str>, message: String, fatal: bool) {
        let failure = Failure {
            file: file.filter(|f| *f != STDIN).map(str::to_owned),
            message,
            fatal,
        };
        let out = self.render.failure(failure);
        write(self.sink, io, &out);
    }

    /// Ends the run: `json` and `sarif` write their document (always, even with nothing to
    /// report).
    pub fn finish(self, io: &mut Io<'_>) {
        let out = self.render.finish();
        write(self.sink, io, &out);
    }
}

fn write(sink: Sink, io: &mut Io<'_>, text: &str) {
    if text.is_empty() {
        return;
    }
    let out = match sink {
        Sink::Stdout => &mut *io.stdout,
        Sink::Stderr => &mut *io.stderr,
    };
    // A closed pipe is not a reason to stop checking; the exit code still tells.
    let _ = out.write_all(text.as_bytes());
}
