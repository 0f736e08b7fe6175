//! Files are never damaged: a failed, refused, killed or concurrent `compile -o` leaves the old
//! template byte for byte, or the whole new one; `--check` never writes.
//!
//! Where a real process is needed (SIGKILL, two writers at once), these tests run the real
//! `stackwire` binary. `CARGO_BIN_EXE_stackwire` is only given to integration tests and benches,
//! and this project keeps its tests in `src/`, so `stackwire()` asks the Cargo that is running
//! the tests to build the binary (`cargo build --bin stackwire`, same profile and target folder
//! as this test executable; a no-op when it is up to date) and uses the path it lands at. That
//! never runs a stale binary, which looking for `target/debug/stackwire` alone could.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use stackwire::{Io, exit, run};

/// The `stackwire` binary cargo built for these tests.
fn stackwire() -> &'static Path {
    Path::new(env!("CARGO_BIN_EXE_stackwire"))
}

fn temp_dir() -> tempfile::TempDir {
    tempfile::tempdir().unwrap_or_else(|e| panic!("cannot make a temporary folder: {e}"))
}

fn write(path: &Path, bytes: &[u8]) {
    std::fs::write(path, bytes).unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
}

fn read(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// The names in a folder, sorted.
pub fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// A stack whose template is about 830 KB (so writing it takes a while), with `tag` in every
/// handler so two versions differ everywhere.
fn big_stack(tag: &str) -> String {
    let mut s = String::from("resources:\n  Events:\n    type: Stream\n");
    for i in 0..200 {
        s.push_str(&format!(
            "  Fn{i:03}:\n    type: Function\n    runtime: nodejs22.x\n    handler: {tag}.handler\n    description: '{}'\n    environment:\n",
            "d".repeat(250)
        ));
        for j in 0..6u8 {
            let c = char::from(b'a' + j);
            s.push_str(&format!("      VAR_{j}: '{}'\n", c.to_string().repeat(600)));
        }
    }
    s
}

fn template_of(stack: &str) -> Vec<u8> {
    stackwire::compile(stack.as_bytes(), &stackwire::Options::default())
        .template
        .unwrap_or_else(|| panic!("the stack does not compile"))
        .into_bytes()
}

fn run_in_process(args: &[&str]) -> (i32, String) {
    let (mut stdout, mut stderr) = (Vec::new(), Vec::new());
    let mut io = Io {
        stdin: &mut std::io::empty(),
        stdout: &mut stdout,
        stderr: &mut stderr,
        color: false,
    };
    let code = run(args.iter().copied(), &mut io);
    (code, String::from_utf8_lossy(&stderr).into_owned())
}

const SMALL: &str = "resources:\n  Orders:\n    type: Stream\n";

/// A folder that cannot be written to, holding `template.yaml` with `old` in it. `chmod 555`
/// where that binds (not root); as root (which ignores modes), a tmpfs remounted read-only.
struct ReadOnlyDir {
    _tmp: tempfile::TempDir,
    path: PathBuf,
    mounted: bool,
}

impl ReadOnlyDir {
    fn new(old: &[u8]) -> Option<ReadOnlyDir> {
        use std::os::unix::fs::PermissionsExt;
        let tmp = temp_dir();
        let path = tmp.path().join("ro");
        std::fs::create_dir(&path).unwrap_or_else(|e| panic!("{e}"));
        write(&path.join("template.yaml"), old);
        let set_mode = |mode| {
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode))
                .unwrap_or_else(|e| panic!("{e}"));
        };
        set_mode(0o555);
        let probe = path.join("probe");
        if std::fs::write(&probe, b"").is_err() {
            return Some(ReadOnlyDir {
                _tmp: tmp,
                path,
                mounted: false,
            });
        }
        // Root: modes do not bind. Mount a tmpfs over the folder and remount it read-only.
        let _ = std::fs::remove_file(&probe);
        set_mode(0o755);
        let mount = |args: &[&str]| {
            Command::new("mount")
                .args(args)
                .arg(&path)
                .stderr(Stdio::null())
                .status()
                .is_ok_and(|s| s.success())
        };
        if !mount(&["-t", "tmpfs", "-o", "size=1m", "tmpfs"]) {
            return None;
        }
        let dir = ReadOnlyDir {
            _tmp: tmp,
            path: path.clone(),
            mounted: true,
        };
        write(&dir.path.join("template.yaml"), old);
        if !mount(&["-o", "remount,ro"]) {
            return None;
        }
        Some(dir)
    }
}

impl Drop for ReadOnlyDir {
    fn drop(&mut self) {
        if self.mounted {
            let _ = Command::new("umount").arg(&self.path).status();
        } else {
            use std::os::unix::fs::PermissionsExt;
            let _ = std::fs::set_permissions(&self.path, std::fs::Permissions::from_mode(0o755));
        }
    }
}

#[test]
fn a_read_only_folder_leaves_the_old_file() {
    let old = b"old template\n";
    let Some(dir) = ReadOnlyDir::new(old) else {
        // Neither file modes nor a read-only mount can be had here (root without mount rights).
        eprintln!("SKIPPED: cannot make a read-only folder on this machine");
        return;
    };
    let stack = dir._tmp.path().join("stack.yaml");
    write(&stack, SMALL.as_bytes());
    let out = dir.path.join("template.yaml");
    let (code, stderr) = run_in_process(&[
        "stackwire",
        "compile",
        &stack.to_string_lossy(),
        "-o",
        &out.to_string_lossy(),
    ]);
    assert_eq!(code, exit::IO, "{stderr}");
    assert!(stderr.contains("cannot write"), "{stderr}");
    assert_eq!(read(&out), old);
    assert_eq!(listing(&dir.path), ["template.yaml"]);
}

/// A full disk: a 64 KiB tmpfs where one can be mounted (root), and in every case a write that
/// fails part-way with "no space left", injected into the same code.
#[test]
fn a_full_disk_leaves_the_old_file() {
    let old = b"old template\n".to_vec();
    let big = template_of(&big_stack("new"));

    // Injected: the writer puts half the bytes down, then fails as a full disk does.
    let dir = temp_dir();
    let out = dir.path().join("template.yaml");
    write(&out, &old);
    let result = stackwire::output::write_atomic_with(&out, &big, |file, bytes| {
        file.write_all(&bytes[..bytes.len() / 2])?;
        Err(std::io::Error::from_raw_os_error(28)) // ENOSPC
    });
    assert_eq!(result.map_err(|e| e.raw_os_error()), Err(Some(28)));
    assert_eq!(read(&out), old);
    assert_eq!(
        listing(dir.path()),
        ["template.yaml"],
        "the temporary file is removed"
    );

    // A real full file system, where one can be mounted.
    let mnt = dir.path().join("small");
    std::fs::create_dir(&mnt).unwrap_or_else(|e| panic!("{e}"));
    let mounted = Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=64k", "tmpfs"])
        .arg(&mnt)
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !mounted {
        eprintln!("SKIPPED the tmpfs half: cannot mount a tmpfs here");
        return;
    }
    struct Unmount<'a>(&'a Path);
    impl Drop for Unmount<'_> {
        fn drop(&mut self) {
            let _ = Command::new("umount").arg(self.0).status();
        }
    }
    let _unmount = Unmount(&mnt);
    let out = mnt.join("template.yaml");
    write(&out, &old);
    let stack = dir.path().join("stack.yaml");
    write(&stack, big_stack("new").as_bytes());
    let (code, stderr) = run_in_process(&[
        "stackwire",
        "compile",
        &stack.to_string_lossy(),
        "-o",
        &out.to_string_lossy(),
    ]);
    assert_eq!(code, exit::IO, "{stderr}");
    assert!(stderr.contains("cannot write"), "{stderr}");
    assert_eq!(read(&out), old);
    assert_eq!(listing(&mnt), ["template.yaml"]);
}

/// `/dev/full` is not a regular file: it is written straight into (as `/dev/stdout` would be),
/// never replaced by a rename, and its "no space left" is an I/O error.
#[test]
fn a_device_is_written_into_not_replaced() {
    let full = Path::new("/dev/full");
    if !full.exists() {
        eprintln!("SKIPPED: no /dev/full here");
        return;
    }
    let (code, stderr) = run_in_process(&["stackwire", "compile", "-", "-o", "/dev/full"]);
    // Standard input is empty here: the stack is invalid before anything is written.
    assert_eq!(code, exit::INVALID, "{stderr}");
    let dir = temp_dir();
    let stack = dir.path().join("stack.yaml");
    write(&stack, SMALL.as_bytes());
    let (code, stderr) = run_in_process(&[
        "stackwire",
        "compile",
        &stack.to_string_lossy(),
        "-o",
        "/dev/full",
    ]);
    assert_eq!(code, exit::IO, "{stderr}");
    assert!(stderr.contains("No space left"), "{stderr}");
    use std::os::unix::fs::FileTypeExt;
    let meta = std::fs::metadata(full).unwrap_or_else(|e| panic!("{e}"));
    assert!(meta.file_type().is_char_device(), "/dev/full was replaced");

    let (code, stderr) = run_in_process(&[
        "stackwire",
        "compile",
        &stack.to_string_lossy(),
        "-o",
        "/dev/null",
    ]);
    assert_eq!(code, exit::OK, "{stderr}");
    let meta = std::fs::metadata("/dev/null").unwrap_or_else(|e| panic!("{e}"));
    assert!(meta.file_type().is_char_device(), "/dev/null was replaced");
}

/// A symbolic link to the template stays a link; the file it points to gets the template.
#[test]
fn a_symlink_is_followed_and_kept() {
    let dir = temp_dir();
    let real = dir.path().join("real.yaml");
    write(&real, b"old\n");
    let link = dir.path().join("template.yaml");
    std::os::unix::fs::symlink(&real, &link).unwrap_or_else(|e| panic!("{e}"));
    stackwire::output::write_atomic(&link, b"new\n").unwrap_or_else(|e| panic!("{e}"));
    let meta = std::fs::symlink_metadata(&link).unwrap_or_else(|e| panic!("{e}"));
    assert!(meta.file_type().is_symlink());
    assert_eq!(read(&real), b"new\n");
}

/// SIGKILL while `compile -o` writes an 830 KB template, at many moments: most rounds watch the
/// folder and kill as soon as the write has begun (a temporary file appears, or the file
/// changes), plus 0 to 2 ms; the others at moments spread over a whole run. The file is always
/// either the old template or the whole new one.
#[test]
fn a_killed_compile_leaves_the_old_or_the_whole_new_file() {
    let bin = stackwire();
    let dir = temp_dir();
    let work = dir.path().join("out");
    std::fs::create_dir(&work).unwrap_or_else(|e| panic!("{e}"));
    let stack = dir.path().join("stack.yaml");
    let new_stack = big_stack("new");
    write(&stack, new_stack.as_bytes());
    let (old, new) = (template_of(&big_stack("old")), template_of(&new_stack));
    let out = work.join("template.yaml");
    let compile = || {
        Command::new(bin)
            .arg("compile")
            .arg(&stack)
            .arg("-o")
            .arg(&out)
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("{e}"))
    };
    let state = || {
        let meta = std::fs::metadata(&out).ok();
        (
            listing(&work),
            meta.as_ref().map(std::fs::Metadata::len),
            meta.and_then(|m| m.modified().ok()),
        )
    };

    // How long a whole run takes, to spread the timed kills over it.
    write(&out, &old);
    let start = Instant::now();
    let status = compile().wait();
    assert!(status.is_ok_and(|s| s.success()));
    assert_eq!(read(&out), new);
    let whole = start.elapsed().max(Duration::from_millis(1));

    let rounds = 80u32;
    let (mut kept_old, mut got_new, mut during_write) = (0, 0, 0);
    for round in 0..rounds {
        // Earlier kills may have left temporary files; start from the old template alone.
        for name in listing(&work) {
            let _ = std::fs::remove_file(work.join(name));
        }
        write(&out, &old);
        let before = state();
        let mut child = compile();
        if round % 4 == 0 {
            std::thread::sleep(whole * round / (rounds - 20));
        } else {
            // Wait for the write to begin, then kill within 0 to 2 ms.
            loop {
                if state() != before {
                    during_write += 1;
                    let delay = Duration::from_micros(u64::from(round % 10) * 200);
                    let spin = Instant::now();
                    while spin.elapsed() < delay {
                        std::hint::spin_loop();
                    }
                    break;
                }
                if child.try_wait().ok().flatten().is_some() {
                    break;
                }
                std::thread::yield_now();
            }
        }
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
        let now = read(&out);
        if now == old {
            kept_old += 1;
        } else if now == new {
            got_new += 1;
        } else {
            panic!(
                "round {round}: the file is neither the old nor the new template ({} of {} bytes)",
                now.len(),
                new.len()
            );
        }
        // A kill may leave its temporary file behind (nothing runs after SIGKILL), never more.
        for name in listing(&work) {
            assert!(
                name == "template.yaml"
                    || (name.starts_with(".stackwire-") && name.ends_with(".tmp")),
                "round {round}: unexpected file {name}"
            );
        }
    }
    eprintln!(
        "{rounds} kills ({during_write} after the write began; a run takes {whole:?}): \
         {kept_old} left the old template, {got_new} the whole new one"
    );
    assert!(
        during_write >= rounds / 4,
        "the write was seen beginning only {during_write} times"
    );
}

/// Two `compile -o` processes writing the same file at once, many times over, while a reader
/// keeps reading it: every read and the final file are one whole template.
#[test]
fn two_writers_at_once_leave_one_whole_template() {
    let bin = stackwire();
    let dir = temp_dir();
    let (stack_a, stack_b) = (big_stack("alpha"), big_stack("beta"));
    let (path_a, path_b) = (dir.path().join("a.yaml"), dir.path().join("b.yaml"));
    write(&path_a, stack_a.as_bytes());
    write(&path_b, stack_b.as_bytes());
    let (a, b) = (template_of(&stack_a), template_of(&stack_b));
    let out = dir.path().join("template.yaml");
    let old = b"old template\n".to_vec();
    write(&out, &old);

    let done = std::sync::atomic::AtomicBool::new(false);
    let reads = std::thread::scope(|scope| {
        let reader = scope.spawn(|| {
            let mut reads = 0u32;
            while !done.load(std::sync::atomic::Ordering::Relaxed) {
                let now = read(&out);
                assert!(
                    now == old || now == a || now == b,
                    "a reader saw a mixed or partial file ({} bytes)",
                    now.len()
                );
                reads += 1;
            }
            reads
        });
        for round in 0..15 {
            let spawn = |stack: &Path| {
                Command::new(bin)
                    .arg("compile")
                    .arg(stack)
                    .arg("-o")
                    .arg(&out)
                    .stderr(Stdio::null())
                    .spawn()
                    .unwrap_or_else(|e| panic!("{e}"))
            };
            let (mut first, mut second) = (spawn(&path_a), spawn(&path_b));
            let (s1, s2) = (first.wait(), second.wait());
            assert!(
                s1.is_ok_and(|s| s.success()) && s2.is_ok_and(|s| s.success()),
                "round {round}: a writer failed"
            );
            let now = read(&out);
            assert!(now == a || now == b, "round {round}: a mixed file");
        }
        done.store(true, std::sync::atomic::Ordering::Relaxed);
        reader
            .join()
            .unwrap_or_else(|_| panic!("the reader failed"))
    });
    assert!(reads > 0);
    assert_eq!(listing(dir.path()), ["a.yaml", "b.yaml", "template.yaml"]);
}

/// `--check` writes nothing, whether the file is up to date, stale, missing, or the stack is
/// invalid: same bytes, same modification time, no new file in the folder.
#[test]
fn check_never_writes() {
    let dir = temp_dir();
    let stack = dir.path().join("stack.yaml");
    write(&stack, SMALL.as_bytes());
    let bad = dir.path().join("bad.yaml");
    write(
        &bad,
        b"resources:\n  Orders:\n    type: Stream\n    shardCount: 0\n",
    );
    let out = dir.path().join("template.yaml");
    let (stack_s, bad_s, out_s) = (
        stack.to_string_lossy().into_owned(),
        bad.to_string_lossy().into_owned(),
        out.to_string_lossy().into_owned(),
    );
    let mtime = |p: &Path| {
        std::fs::metadata(p)
            .and_then(|m| m.modified())
            .unwrap_or_else(|e| panic!("{e}"))
    };
    let old_time = std::time::SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000_000);
    let set_old_time = || {
        std::fs::File::options()
            .write(true)
            .open(&out)
            .and_then(|f| f.set_modified(old_time))
            .unwrap_or_else(|e| panic!("{e}"));
    };
    let cases: [(&str, Option<Vec<u8>>, &str, i32); 4] = [
        ("missing", None, &stack_s, exit::STALE),
        ("stale", Some(b"stale\n".to_vec()), &stack_s, exit::STALE),
        ("up to date", Some(template_of(SMALL)), &stack_s, exit::OK),
        (
            "invalid stack",
            Some(b"stale\n".to_vec()),
            &bad_s,
            exit::INVALID,
        ),
    ];
    for (name, contents, stack, code) in cases {
        let _ = std::fs::remove_file(&out);
        if let Some(contents) = &contents {
            write(&out, contents);
            set_old_time();
        }
        let before = listing(dir.path());
        let (got, stderr) =
            run_in_process(&["stackwire", "compile", stack, "-o", &out_s, "--check"]);
        assert_eq!(got, code, "{name}: {stderr}");
        assert_eq!(listing(dir.path()), before, "{name}: a file was created");
        if let Some(contents) = contents {
            assert_eq!(read(&out), contents, "{name}");
            assert_eq!(mtime(&out), old_time, "{name}: the file was touched");
        }
    }
}

/// An existing file keeps its permissions through a rewrite; a new one is 0644.
#[test]
fn permissions_are_kept() {
    use std::os::unix::fs::PermissionsExt;
    let dir = temp_dir();
    let out = dir.path().join("template.yaml");
    stackwire::output::write_atomic(&out, b"one\n").unwrap_or_else(|e| panic!("{e}"));
    let mode = |p: &Path| std::fs::metadata(p).map_or(0, |m| m.permissions().mode() & 0o777);
    assert_eq!(mode(&out), 0o644);
    std::fs::set_permissions(&out, std::fs::Permissions::from_mode(0o600))
        .unwrap_or_else(|e| panic!("{e}"));
    stackwire::output::write_atomic(&out, b"two\n").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(mode(&out), 0o600);
    assert_eq!(read(&out), b"two\n");
}

/// `-o` naming the stack file itself (directly, through `..` or a link) is refused: the
/// template would replace the only copy of the stack.
#[test]
fn the_stack_itself_is_never_the_output() {
    let dir = temp_dir();
    let stack = dir.path().join("stack.yaml");
    write(&stack, SMALL.as_bytes());
    std::fs::create_dir(dir.path().join("sub")).unwrap_or_else(|e| panic!("{e}"));
    let link = dir.path().join("link.yaml");
    std::os::unix::fs::symlink(&stack, &link).unwrap_or_else(|e| panic!("{e}"));
    let dotdot = dir.path().join("sub/../stack.yaml");
    for output in [&stack, &dotdot, &link] {
        let (code, stderr) = run_in_process(&[
            "stackwire",
            "compile",
            &stack.to_string_lossy(),
            "-o",
            &output.to_string_lossy(),
        ]);
        assert_eq!(code, exit::USAGE, "{stderr}");
        assert!(
            stderr.contains("is the stack description itself"),
            "{stderr}"
        );
        assert_eq!(read(&stack), SMALL.as_bytes());
    }
}

/// An endless input (`/dev/zero`) is refused at the size limit instead of read forever.
#[test]
fn an_endless_input_is_refused() {
    if !Path::new("/dev/zero").exists() {
        eprintln!("SKIPPED: no /dev/zero here");
        return;
    }
    let (code, stderr) = run_in_process(&["stackwire", "compile", "/dev/zero"]);
    assert_eq!(code, exit::IO, "{stderr}");
    assert!(stderr.contains("larger than 4,194,304 bytes"), "{stderr}");
}

/// `--check` against an endless or huge file reads no more than a template can be.
#[test]
fn check_reads_a_bounded_amount() {
    if !Path::new("/dev/zero").exists() {
        eprintln!("SKIPPED: no /dev/zero here");
        return;
    }
    let dir = temp_dir();
    let stack = dir.path().join("stack.yaml");
    write(&stack, SMALL.as_bytes());
    let (mut stdout, mut stderr) = (Vec::new(), Vec::new());
    let mut io = Io {
        stdin: &mut std::io::empty(),
        stdout: &mut stdout,
        stderr: &mut stderr,
        color: false,
    };
    let args = [
        "stackwire",
        "compile",
        &stack.to_string_lossy(),
        "-o",
        "/dev/zero",
        "--check",
    ];
    let code = run(args.iter().map(|a| a.to_string()), &mut io);
    let stdout = String::from_utf8_lossy(&stdout);
    assert_eq!(code, exit::STALE, "{}", String::from_utf8_lossy(&stderr));
    assert!(
        stdout.contains("is larger than 1,000,000 bytes, more than any template"),
        "{stdout}"
    );
}
