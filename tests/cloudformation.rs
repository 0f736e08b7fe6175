//! The CloudFormation target (`--target cloudformation`), its own test target: every
//! `fixtures/ok` stack and a generated 60-resource stack, compared with what AWS's SAM
//! translator makes of the SAM target's template, and through cfn-lint (see
//! `support/cloudformation.rs` for what is compared and which differences are allowed). The
//! property-test sample goes through the same comparison in `tests/integration/props.rs`.

#[path = "support/cloudformation.rs"]
mod equivalence;
// Each target uses part of what the targets share.
#[allow(dead_code, unused_imports)]
mod support;

use equivalence::{Stack, equivalent};
use stackwire::generate::{Shape, generate};

/// A fixture's `--environment`, from its `# args:` line.
fn environment(text: &str) -> Option<String> {
    let args: Vec<&str> = text
        .lines()
        .next()
        .and_then(|l| l.strip_prefix("# args:"))
        .map(|a| a.split_whitespace().collect())
        .unwrap_or_default();
    let at = args.iter().position(|a| *a == "--environment")?;
    assert_eq!(
        args.len(),
        2,
        "a fixture's arguments other than --environment: {args:?}"
    );
    args.get(at + 1).map(|e| (*e).to_owned())
}

#[test]
fn every_ok_fixture_expands_as_the_sam_translator_expands_it() {
    let paths = support::fixture_paths("ok");
    let mut stacks: Vec<Stack> = paths
        .into_iter()
        .filter(|path| {
            let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned());
            !support::NEEDS_SAM_TRANSFORM.contains(&stem.as_deref().unwrap_or_default())
        })
        .map(|path| {
            let text = std::fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
            let name = path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            Stack {
                name,
                environment: environment(&text),
                text,
            }
        })
        .collect();
    assert!(stacks.len() >= 20, "only {} fixtures", stacks.len());
    let g = generate(Shape::resources(60), 3);
    stacks.push(Stack {
        name: "generated".to_owned(),
        text: g.text,
        environment: None,
    });
    let compared = equivalent(&stacks);
    eprintln!(
        "{} stacks, {compared} resources, as the translator writes them",
        stacks.len()
    );
}

/// The comparison can fail: a difference the expansion does not make (a changed property, a
/// missing one, a renamed inline policy) is reported with its path.
#[test]
fn the_comparison_reports_each_difference() {
    let theirs = serde_json::json!({"Resources": {"FRole": {"Type": "AWS::IAM::Role", "Properties": {
        "Policies": [{"PolicyName": "FRolePolicy0", "PolicyDocument": {"Statement": []}}],
        "Tags": [{"Key": "lambda:createdBy", "Value": "SAM"}]}}}});
    // The same with keys in another order: no difference.
    let reordered = serde_json::json!({"Resources": {"FRole": {"Properties": {
        "Tags": [{"Value": "SAM", "Key": "lambda:createdBy"}],
        "Policies": [{"PolicyDocument": {"Statement": []}, "PolicyName": "FRolePolicy0"}]},
        "Type": "AWS::IAM::Role"}}});
    let mut found = Vec::new();
    equivalence::differences(&reordered, &theirs, "", &mut found);
    assert!(found.is_empty(), "{found:?}");

    let mut ours = theirs.clone();
    ours["Resources"]["FRole"]["Properties"]["Policies"][0]["PolicyName"] = "FRolePolicy1".into();
    ours["Resources"]["FRole"]["Properties"]
        .as_object_mut()
        .map(|p| p.remove("Tags"));
    ours["Resources"]["FRole"]["Type"] = "AWS::IAM::User".into();
    let mut found = Vec::new();
    equivalence::differences(&ours, &theirs, "", &mut found);
    let paths: Vec<&str> = found.iter().filter_map(|f| f.split(':').next()).collect();
    assert_eq!(
        paths,
        [
            "/Resources/FRole/Properties/Policies/0/PolicyName",
            "/Resources/FRole/Properties/Tags",
            "/Resources/FRole/Type",
        ],
        "{found:#?}"
    );
}
