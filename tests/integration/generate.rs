//! The stack generator (`generate.rs`): its stacks are valid input at every size, the same seed
//! gives the same bytes, and its resource count is the checker's.

use stackwire::check::MAX_RESOURCES;
use stackwire::diagnostics::Problem;
use stackwire::generate::{Shape, at_limit, generate};

/// Compiles `text` and returns the template, failing the test on any error or on a warning
/// other than the template being over 51,200 bytes.
fn compiles(text: &str, what: &str) -> String {
    let compiled = stackwire::compile(text.as_bytes(), &stackwire::Options::default());
    let unexpected: Vec<&Problem> = compiled
        .problems
        .iter()
        .filter(|p| !matches!(p, Problem::TemplateNeedsS3 { .. }))
        .collect();
    assert!(unexpected.is_empty(), "{what}: {unexpected:#?}\n{text}");
    compiled
        .template
        .unwrap_or_else(|| panic!("{what} did not compile"))
}

/// What `check` counts against CloudFormation's resource limit.
fn checked_count(text: &str) -> usize {
    let (Some(stack), _) = stackwire::format::parse::parse(text) else {
        panic!("does not parse:\n{text}");
    };
    let (plan, _) = stackwire::check::check(&stack, &stackwire::Options::default());
    stackwire::target::DEFAULT.resource_count(&plan)
}

#[test]
fn small_stacks_compile() {
    for resources in [3, 4, 7, 12, 30, 60, 100] {
        for seed in 0..4 {
            let g = generate(Shape::resources(resources), seed);
            let what = format!("{resources} resources, seed {seed}");
            assert_eq!(
                g.shape.functions + g.shape.streams,
                resources,
                "{what}: {:?}",
                g.shape
            );
            compiles(&g.text, &what);
            assert_eq!(g.expanded_resources, checked_count(&g.text), "{what}");
        }
    }
}

#[test]
fn every_shape_is_honoured_or_capped() {
    // Three wires for a pair of a Stream and a Function: only two are possible (one each way).
    let g = generate(
        Shape {
            functions: 1,
            streams: 1,
            wires: 3,
        },
        9,
    );
    assert_eq!(
        g.shape,
        Shape {
            functions: 1,
            streams: 1,
            wires: 2
        }
    );
    compiles(&g.text, "one pair, both wires");
    let g = generate(
        Shape {
            functions: 40,
            streams: 3,
            wires: 0,
        },
        9,
    );
    assert!(!g.text.contains("wires:"), "{}", g.text);
    compiles(&g.text, "no wires");
}

#[test]
fn same_seed_same_bytes() {
    let shape = Shape::resources(500);
    let a = generate(shape, 42);
    assert_eq!(a, generate(shape, 42));
    assert_ne!(a.text, generate(shape, 43).text);
    assert_eq!(at_limit(5), at_limit(5));
}

/// The bytes for a seed are part of the contract (benchmarks are compared across versions):
/// a small stack, pinned, and reviewed as a user would read it.
#[test]
fn a_small_stack_pinned() {
    let g = generate(Shape::resources(12), 7);
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(concat!(env!("CARGO_MANIFEST_DIR"), "/snapshots"));
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    settings.bind(|| insta::assert_snapshot!("generated@resources-12-seed-7", g.text));
}

#[test]
fn a_stack_at_the_limit_compiles() {
    for seed in [1, 2, 3] {
        let g = at_limit(seed);
        assert_eq!(g.expanded_resources, MAX_RESOURCES, "seed {seed}");
        assert_eq!(checked_count(&g.text), MAX_RESOURCES, "seed {seed}");
        compiles(&g.text, &format!("at the limit, seed {seed}"));
        // One more resource is one too many, and that is the only problem.
        let over = g
            .text
            .replacen("\nwires:\n", "\n  OneMore:\n    type: Stream\nwires:\n", 1);
        assert_eq!(checked_count(&over), MAX_RESOURCES + 1);
        let compiled = stackwire::compile(over.as_bytes(), &stackwire::Options::default());
        assert!(
            matches!(
                compiled.problems.as_slice(),
                [Problem::TooManyResources { count, .. }] if count == "501"
            ),
            "{:#?}",
            compiled.problems
        );
    }
}

#[test]
fn above_the_limit_only_the_limit_is_reported() {
    for resources in [1_000, 5_000] {
        let g = generate(Shape::resources(resources), 11);
        let compiled = stackwire::compile(g.text.as_bytes(), &stackwire::Options::default());
        assert!(compiled.template.is_none());
        assert!(
            matches!(
                compiled.problems.as_slice(),
                [Problem::TooManyResources { .. }]
            ),
            "{resources} resources: {:#?}",
            compiled.problems
        );
        assert!(g.expanded_resources > MAX_RESOURCES);
    }
}

/// A generated stack is not only accepted by stackwire: its template passes the conformance gate
/// (cfn-lint on the SAM template, AWS's SAM translator, cfn-lint on the result), and the
/// translator makes as many resources as the generator counted. (The stack at the limit passes
/// too, in the benchmark; it takes cfn-lint about 15 s, too long for every test run.)
#[test]
fn a_generated_template_passes_cfn_lint_and_the_sam_translator() {
    let g = generate(Shape::resources(60), 3);
    let template = compiles(&g.text, "60 resources, seed 3");
    let counts = crate::support::gate(&[("generated".to_owned(), template)]);
    let line = format!("generated {}", g.expanded_resources);
    assert!(
        counts.lines().any(|l| l == line),
        "expected `{line}`:\n{counts}"
    );
}
