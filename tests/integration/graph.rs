//! `stackwire graph` of every `fixtures/ok` stack in each format, through the whole command line
//! in-process, against reviewed snapshots; and the README's picture of the quickstart, kept in
//! step with what `graph` draws.
//!
//! A fixture whose first line is `# args: ...` passes those arguments, as it does to `compile`.

use std::path::Path;

use crate::support::{Outcome, run_cli, run_fixture, settings};

/// `stackwire graph fixtures/ok/<name>.yaml --format <format> [args]`.
fn graph(path: &Path, format: &str) -> Outcome {
    run_fixture("graph", path, &["--format", format])
}

fn snapshots(format: &str) {
    settings().bind(|| {
        insta::glob!("../../fixtures/ok", "*.yaml", |path| {
            let out = graph(path, format);
            assert_eq!(out.stderr, "", "{} printed diagnostics", path.display());
            assert_eq!(out.code, 0, "{} was not drawn", path.display());
            assert_eq!(
                graph(path, format).stdout,
                out.stdout,
                "{} drawn twice differs",
                path.display()
            );
            insta::assert_snapshot!(format!("graph_{format}"), out.stdout);
        });
    });
}

#[test]
fn graph_mermaid() {
    snapshots("mermaid");
}

#[test]
fn graph_dot() {
    snapshots("dot");
}

#[test]
fn graph_svg() {
    snapshots("svg");
}

/// `stackwire graph --all` of every `fixtures/ok/passthru-*` stack (the whole stacks) in each
/// format, against reviewed snapshots.
fn snapshots_all(format: &str) {
    settings().bind(|| {
        insta::glob!("../../fixtures/ok", "passthru-*.yaml", |path| {
            let out = run_fixture("graph", path, &["--format", format, "--all"]);
            assert_eq!(out.stderr, "", "{} printed diagnostics", path.display());
            assert_eq!(out.code, 0, "{} was not drawn", path.display());
            let again = run_fixture("graph", path, &["--all", "--format", format]);
            assert_eq!(
                again.stdout,
                out.stdout,
                "{} drawn twice differs",
                path.display()
            );
            insta::assert_snapshot!(format!("graph_all_{format}"), out.stdout);
        });
    });
}

#[test]
fn graph_all_mermaid() {
    snapshots_all("mermaid");
}

#[test]
fn graph_all_dot() {
    snapshots_all("dot");
}

#[test]
fn graph_all_svg() {
    snapshots_all("svg");
}

/// A stack without pass-through resources or SAM events draws the same with `--all` as
/// without (pass-through parameters, conditions and properties are not drawn); one with them
/// draws at least as much (without `--all`, only the pass-through resources a Function
/// references are drawn).
#[test]
fn all_adds_only_the_pass_through_content() {
    let mut more = 0;
    let mut strictly_more = 0;
    for path in crate::support::fixture_paths("ok") {
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        let draws_more = draws_more_with_all(&text, &path);
        more += usize::from(draws_more);
        for format in ["mermaid", "dot", "svg"] {
            let plain = graph(&path, format);
            let all = run_fixture("graph", &path, &["--format", format, "--all"]);
            assert_eq!((plain.code, all.code), (0, 0), "{}", all.stderr);
            if draws_more {
                assert!(
                    all.stdout.len() >= plain.stdout.len(),
                    "{} --format {format}: --all drew less",
                    path.display()
                );
                strictly_more += usize::from(all.stdout.len() > plain.stdout.len());
            } else {
                assert_eq!(
                    all.stdout,
                    plain.stdout,
                    "{} --format {format}: --all drew more",
                    path.display()
                );
            }
        }
    }
    assert!(more >= 5, "the whole-stack fixtures are missing");
    // Some draw what no Function references (a resource nothing names, a schedule, ...).
    assert!(
        strictly_more >= 3,
        "--all drew more for {strictly_more} fixture drawings"
    );
}

/// Whether a stack has pass-through resources or a Function's SAM events, read from its YAML.
fn draws_more_with_all(text: &str, path: &Path) -> bool {
    let stack: serde_json::Value = serde_saphyr::from_str(text)
        .unwrap_or_else(|e| panic!("{} is not YAML: {e}", path.display()));
    let resources = stack["template"]["Resources"]
        .as_object()
        .is_some_and(|r| !r.is_empty());
    let events = stack["resources"].as_object().is_some_and(|rs| {
        rs.values().any(|r| {
            r["properties"]["Events"]
                .as_object()
                .is_some_and(|e| !e.is_empty())
        })
    });
    resources || events
}

const QUICKSTART_SVG: &str = "snapshots/quickstart.graph.svg";

#[test]
fn readme_shows_the_quickstart_as_graph_draws_it() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let quickstart = root.join("fixtures/ok/quickstart.yaml");
    let svg = graph(&quickstart, "svg");
    assert_eq!(svg.code, 0, "{}", svg.stderr);
    let committed = std::fs::read_to_string(root.join(QUICKSTART_SVG)).unwrap_or_default();
    assert!(
        committed == svg.stdout,
        "{QUICKSTART_SVG} is not what `graph` draws; run `stackwire graph fixtures/ok/quickstart.yaml --format svg -o {QUICKSTART_SVG}` and commit it"
    );

    let readme = std::fs::read_to_string(root.join("README.md")).unwrap_or_default();
    assert!(
        readme.contains(&format!("]({QUICKSTART_SVG})")),
        "the README does not show {QUICKSTART_SVG}"
    );
    let blocks: Vec<&str> = readme
        .split("```mermaid\n")
        .skip(1)
        .filter_map(|rest| rest.split("```").next())
        .collect();
    let mermaid = graph(&quickstart, "mermaid");
    assert_eq!(mermaid.code, 0, "{}", mermaid.stderr);
    assert_eq!(
        blocks,
        [mermaid.stdout.as_str()],
        "the README's ```mermaid block is not `stackwire graph fixtures/ok/quickstart.yaml`"
    );
}

#[test]
fn a_broken_stack_is_reported_as_compile_reports_it_and_not_drawn() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for name in ["self_wire", "many-problems", "missing_environment"] {
        let path = root.join("fixtures/err").join(format!("{name}.yaml"));
        let relative = format!("fixtures/err/{name}.yaml");
        let compile = run_cli(
            ["stackwire", "compile", relative.as_str()],
            &mut std::io::empty(),
            false,
        );
        for format in ["mermaid", "dot", "svg"] {
            let out = graph(&path, format);
            assert_eq!(out.code, 1, "{name}: {}", out.stderr);
            assert_eq!(out.stdout, "", "{name} was drawn");
            assert_eq!(
                out.stderr, compile.stderr,
                "{name}: not what compile reports"
            );
        }
    }
    // `--plain` and `--color` apply, as they do to compile.
    let plain = run_cli(
        [
            "stackwire",
            "graph",
            "fixtures/err/self_wire.yaml",
            "--plain",
            "--color",
            "always",
        ],
        &mut std::io::empty(),
        false,
    );
    let compile = run_cli(
        [
            "stackwire",
            "compile",
            "fixtures/err/self_wire.yaml",
            "--plain",
            "--color",
            "always",
        ],
        &mut std::io::empty(),
        false,
    );
    assert_eq!(plain.code, 1);
    assert_eq!(plain.stderr, compile.stderr);
    assert!(plain.stderr.contains('\u{1b}'), "coloured");
}

#[test]
fn standard_input_output_file_and_warnings() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read(root.join("fixtures/ok/quickstart.yaml")).unwrap_or_default();
    let piped = run_cli(["stackwire", "graph", "-"], &mut text.as_slice(), false);
    let named = graph(&root.join("fixtures/ok/quickstart.yaml"), "mermaid");
    assert_eq!(piped.code, 0, "{}", piped.stderr);
    assert_eq!(piped.stdout, named.stdout, "`-` reads standard input");
    assert!(
        piped.stdout.starts_with("flowchart LR\n"),
        "Mermaid by default"
    );

    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("a temporary folder: {e}"));
    let file = dir.path().join("stack.dot");
    let file_arg = file.to_string_lossy().into_owned();
    let out = run_cli(
        [
            "stackwire",
            "graph",
            "-",
            "--format",
            "dot",
            "-o",
            file_arg.as_str(),
        ],
        &mut text.as_slice(),
        false,
    );
    assert_eq!((out.code, out.stdout.as_str()), (0, ""), "{}", out.stderr);
    let written = std::fs::read_to_string(&file).unwrap_or_default();
    assert!(written.starts_with("digraph stackwire {\n"), "{written}");

    // -o over the stack itself would destroy it.
    let stack = dir.path().join("stack.yaml");
    std::fs::write(&stack, &text).unwrap_or_else(|e| panic!("write: {e}"));
    let stack_arg = stack.to_string_lossy().into_owned();
    let out = run_cli(
        [
            "stackwire",
            "graph",
            stack_arg.as_str(),
            "-o",
            stack_arg.as_str(),
        ],
        &mut std::io::empty(),
        false,
    );
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert_eq!(std::fs::read(&stack).unwrap_or_default(), text);

    // A stack with warnings is drawn, and warned about as compile warns.
    let warn = crate::support::fixture_paths("warn");
    let first = warn.first().unwrap_or_else(|| panic!("no fixtures/warn"));
    let drawn = graph(first, "mermaid");
    assert_eq!(drawn.code, 0, "{}", drawn.stderr);
    assert!(drawn.stderr.contains("Warning:"), "{}", drawn.stderr);
    assert!(drawn.stdout.starts_with("flowchart LR\n"));

    let missing = run_cli(
        ["stackwire", "graph", "no/such/stack.yaml"],
        &mut std::io::empty(),
        false,
    );
    assert_eq!(missing.code, 3, "{}", missing.stderr);
}
