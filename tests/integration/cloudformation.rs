//! `--target cloudformation` and `--code-bucket` through the command line: every `fixtures/ok`
//! stack against its reviewed CloudFormation snapshot (`snapshots/cloudformation@*.snap`), the
//! flags' usage errors, and where each target says the code is. (The comparison with AWS's SAM
//! translator and cfn-lint is the `cloudformation` test target.)

use crate::support::{NEEDS_SAM_TRANSFORM, compile_fixture_with, run_cli, settings};

fn compile(stack: &str, args: &[&str]) -> crate::support::Outcome {
    let mut all = vec!["stackwire", "compile", "-"];
    all.extend(args);
    run_cli(all, &mut stack.as_bytes(), false)
}

#[test]
fn cloudformation() {
    settings().bind(|| {
        insta::glob!("../../fixtures/ok", "*.yaml", |path| {
            let out = compile_fixture_with(path, &["--target", "cloudformation"]);
            let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned());
            if NEEDS_SAM_TRANSFORM.contains(&stem.as_deref().unwrap_or_default()) {
                // Refused, each place only SAM's transform expands named, and nothing written.
                assert_eq!(out.code, 1, "{} compiled", path.display());
                assert_eq!(out.stdout, "", "{} wrote a template", path.display());
                assert!(
                    out.stderr.contains("stackwire::needs_transform"),
                    "{}",
                    out.stderr
                );
                insta::assert_snapshot!(out.stderr);
                return;
            }
            assert_eq!(out.stderr, "", "{} printed diagnostics", path.display());
            assert_eq!(out.code, 0, "{} did not compile", path.display());
            insta::assert_snapshot!(out.stdout);
        });
    });
}

const STACK: &str = "resources:\n  S:\n    type: Stream\n  F:\n    type: Function\n    runtime: nodejs22.x\n    handler: index.handler\n  G:\n    type: Function\n    runtime: nodejs22.x\n    handler: index.handler\n    source: ./build/g/\n  H:\n    type: Function\n    runtime: java21\n    handler: h.Handler\n    source: h/target/h.jar\nwires:\n  - {from: S, to: F}\n";

#[test]
fn the_default_target_is_sam_and_cloudformation_writes_no_transform() {
    let sam = compile(STACK, &[]);
    assert_eq!(sam.code, 0, "{}", sam.stderr);
    assert_eq!(compile(STACK, &["--target", "sam"]).stdout, sam.stdout);
    assert!(
        sam.stdout
            .contains("Transform: AWS::Serverless-2016-10-31\n")
    );
    let cfn = compile(STACK, &["--target", "cloudformation"]);
    assert_eq!(cfn.code, 0, "{}", cfn.stderr);
    assert!(!cfn.stdout.contains("Transform"), "{}", cfn.stdout);
    assert!(!cfn.stdout.contains("AWS::Serverless::"), "{}", cfn.stdout);
    for id in ["F:", "FRole:", "FS:", "G:", "GRole:", "H:", "HRole:"] {
        assert!(
            cfn.stdout.contains(&format!("\n  {id}\n")),
            "no {id}\n{}",
            cfn.stdout
        );
    }
}

#[test]
fn code_is_the_local_folder_or_the_bucket() {
    // Without --code-bucket: the folder, as `aws cloudformation package` (or `sam package`)
    // takes it.
    let cfn = compile(STACK, &["--target", "cloudformation"]);
    for code in [
        "Code: src/F\n",
        "Code: './build/g/'\n",
        "Code: h/target/h.jar\n",
    ] {
        assert!(cfn.stdout.contains(code), "no `{code}`:\n{}", cfn.stdout);
    }
    let sam = compile(STACK, &[]);
    assert!(sam.stdout.contains("CodeUri: src/F\n"), "{}", sam.stdout);

    // With it: `<source>.zip` in the bucket (a .zip or .jar file as it is), on both targets.
    let args = [
        "--target",
        "cloudformation",
        "--code-bucket",
        "my-artifacts.eu",
    ];
    let cfn = compile(STACK, &args);
    assert_eq!(cfn.code, 0, "{}", cfn.stderr);
    for key in ["src/F.zip", "build/g.zip", "h/target/h.jar"] {
        let code = format!("Code:\n        S3Bucket: my-artifacts.eu\n        S3Key: {key}\n");
        assert!(cfn.stdout.contains(&code), "no `{code}`:\n{}", cfn.stdout);
    }
    let sam = compile(STACK, &["--code-bucket", "my-artifacts.eu"]);
    for uri in ["src/F.zip", "build/g.zip", "h/target/h.jar"] {
        let code = format!("CodeUri: s3://my-artifacts.eu/{uri}\n");
        assert!(sam.stdout.contains(&code), "no `{code}`:\n{}", sam.stdout);
    }
}

#[test]
fn bad_target_or_bucket_is_a_usage_error() {
    let out = compile(STACK, &["--target", "terraform"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("terraform") && out.stderr.contains("sam, cloudformation"),
        "{}",
        out.stderr
    );
    for bucket in [
        "My_Bucket",
        "ab",
        "-bucket",
        "bucket-",
        "a..b",
        "192.168.1.1",
        "",
    ] {
        let flag = format!("--code-bucket={bucket}");
        let out = compile(STACK, &["--target", "cloudformation", &flag]);
        assert_eq!(out.code, 2, "{bucket:?} accepted:\n{}", out.stdout);
        assert!(out.stderr.contains("S3 bucket name"), "{}", out.stderr);
        assert_eq!(out.stdout, "");
    }
}

/// `validate` takes the flags too, and a stack's problems are the same whatever the target.
#[test]
fn validate_takes_the_target() {
    let bad = "resources:\n  S:\n    type: Stream\n  F:\n    type: Function\n    runtime: nodejs22.x\n    handler: index.handler\n  FRole:\n    type: Stream\nwires:\n  - {from: S, to: F}\n";
    let mut sam_args = vec!["stackwire", "validate", "-"];
    let sam = run_cli(sam_args.clone(), &mut bad.as_bytes(), false);
    sam_args.extend(["--target", "cloudformation"]);
    let cfn = run_cli(sam_args, &mut bad.as_bytes(), false);
    assert_eq!(sam.code, 1);
    assert_eq!((cfn.code, &cfn.stderr), (sam.code, &sam.stderr));
    assert!(cfn.stderr.contains("FRole"), "{}", cfn.stderr);
}
