use std::io::IsTerminal;

fn main() {
    // One command line, then `exit`: a command that compiles one file may leave what it built
    // to the exit instead of freeing it node by node.
    stackwire::pipeline::exits_after_run();
    // Ctrl-C or SIGTERM during a write removes the temporary file first (exit 130 or 143).
    // Nothing is watched until a write begins.
    stackwire::interrupt::install();
    // What `--color auto` means; `--color always|never` overrides it.
    let color = stackwire::diagnostics::auto_color(
        std::io::stderr().is_terminal(),
        std::env::var_os("NO_COLOR").as_deref(),
    );
    let mut closed = stackwire::io::ClosedStdin;
    let mut open = std::io::stdin().lock();
    let stdin: &mut dyn std::io::Read = if stackwire::io::stdin_is_closed() {
        &mut closed
    } else {
        &mut open
    };
    let mut io = stackwire::Io {
        stdin,
        stdout: &mut std::io::stdout().lock(),
        stderr: &mut std::io::stderr().lock(),
        color,
    };
    let code = stackwire::run(std::env::args_os(), &mut io);
    std::process::exit(code);
}
