//! `stackwire init [DIR]`: the project it writes compiles, its handlers use the variables the
//! wires give, and it never overwrites a file.

use crate::support::run_args;

fn temp(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("stackwire-init-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

#[test]
fn init_writes_a_project_that_compiles() {
    let dir = temp("fresh");
    let d = dir.to_str().unwrap();
    let out = run_args(&["stackwire", "init", d], b"");
    assert_eq!(out.code, 0, "{}", out.stderr);
    for f in [
        "stack.yaml",
        "src/Producer/handler.py",
        "src/Processor/index.js",
        ".pre-commit-config.yaml",
        "README.md",
    ] {
        assert!(dir.join(f).is_file(), "{f} not written: {}", out.stdout);
        assert!(out.stdout.contains(f), "{f} not listed: {}", out.stdout);
    }
    let stack = dir.join("stack.yaml");
    let compiled = run_args(&["stackwire", "compile", stack.to_str().unwrap()], b"");
    assert_eq!(compiled.code, 0, "{}", compiled.stderr);
    assert_eq!(compiled.stderr, "");
    // The quickstart is the README's: the same template as its fixture.
    let quickstart = run_args(
        &["stackwire", "compile", "fixtures/ok/quickstart.yaml"],
        b"",
    );
    assert_eq!(compiled.stdout, quickstart.stdout);
    let py = std::fs::read_to_string(dir.join("src/Producer/handler.py")).unwrap();
    assert!(py.contains("os.environ[\"STREAM_NAME\"]"), "{py}");
    assert!(py.contains("kinesis.put_record("), "{py}");
    let js = std::fs::read_to_string(dir.join("src/Processor/index.js")).unwrap();
    assert!(
        js.contains("Buffer.from(record.kinesis.data, \"base64\")"),
        "{js}"
    );
    assert!(
        !js.contains("process.env"),
        "the consumer has no discovery wire: {js}"
    );
    let readme = std::fs::read_to_string(dir.join("README.md")).unwrap();
    assert!(readme.contains("stackwire compile stack.yaml -o template.yaml"));
    assert!(readme.contains("sam deploy --guided"));
    let hook = std::fs::read_to_string(dir.join(".pre-commit-config.yaml")).unwrap();
    assert!(hook.contains("id: stackwire"), "{hook}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn init_writes_nothing_when_a_file_exists() {
    let dir = temp("taken");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("README.md"), "mine\n").unwrap();
    let out = run_args(&["stackwire", "init", dir.to_str().unwrap()], b"");
    assert_eq!(out.code, 6, "{}", out.stderr);
    assert!(out.stderr.contains("README.md"), "{}", out.stderr);
    assert!(out.stderr.contains("writes nothing"), "{}", out.stderr);
    assert_eq!(
        std::fs::read_to_string(dir.join("README.md")).unwrap(),
        "mine\n"
    );
    assert!(
        !dir.join("stack.yaml").exists(),
        "wrote stack.yaml beside an existing file"
    );
    assert!(!dir.join("src").exists());
    let _ = std::fs::remove_dir_all(&dir);
}

/// `init` writes the quickstart from its own copy in `src/` (the crate must build without
/// `fixtures/`); the copy is the fixture, byte for byte.
#[test]
fn the_quickstart_init_writes_is_the_fixture() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let read =
        |p: &str| std::fs::read(root.join(p)).unwrap_or_else(|e| panic!("cannot read {p}: {e}"));
    assert_eq!(
        read("src/commands/quickstart.yaml"),
        read("fixtures/ok/quickstart.yaml"),
        "copy fixtures/ok/quickstart.yaml to src/commands/quickstart.yaml"
    );
}
