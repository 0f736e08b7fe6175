use std::io::IsTerminal;

fn main() {
    // What `--color auto` means; `--color always|never` overrides it.
    let color = stackwire::diagnostics::auto_color(
        std::io::stderr().is_terminal(),
        std::env::var_os("NO_COLOR").as_deref(),
    );
    let mut io = stackwire::Io {
        stdin: &mut std::io::stdin().lock(),
        stdout: &mut std::io::stdout().lock(),
        stderr: &mut std::io::stderr().lock(),
        color,
    };
    let code = stackwire::run(std::env::args_os(), &mut io);
    std::process::exit(code);
}
