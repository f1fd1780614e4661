//! External backend plugins: `--target NAME` runs `lbc-backend-NAME` from PATH
//! with the IR on stdin; failures are E0028 diagnostics that name the plugin.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn lbc_with_path(args: &[&str], extra_path: &Path) -> Output {
    let path = format!(
        "{}:{}",
        extra_path.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    Command::new(env!("CARGO_BIN_EXE_lbc"))
        .args(args)
        .env("PATH", path)
        .env("NO_COLOR", "1")
        .output()
        .expect("lbc runs")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn plugin_dir(tag: &str, plugins: &[(&str, &str)]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("lbc-plugins-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    for (name, body) in plugins {
        let p = dir.join(name);
        std::fs::write(&p, body).expect("plugin written");
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    }
    dir
}

#[test]
fn the_documented_example_plugin_works() {
    let example = workspace().join("examples/k8s-api.lbdsl");
    let out = lbc_with_path(
        &[
            "compile",
            example.to_str().expect("utf-8"),
            "--target",
            "csv",
        ],
        &workspace().join("examples/plugins"),
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stdout),
        "vip,protocol,ports,algorithm,member,port,weight\n\
         198.18.2.1,tcp,6443,rr,198.18.1.11,,1\n\
         198.18.2.1,tcp,6443,rr,198.18.1.12,,1\n\
         198.18.2.2,tcp,31243,rr,198.18.1.21,,1\n\
         198.18.2.2,tcp,31243,rr,198.18.1.22,,1\n"
    );
}

#[test]
fn a_plugin_receives_exactly_the_ir() {
    let dir = plugin_dir("echo", &[("lbc-backend-echo", "#!/bin/sh\ncat\n")]);
    let example = workspace().join("examples/everything.lbdsl");
    let example = example.to_str().expect("utf-8");
    let via_plugin = lbc_with_path(&["compile", example, "--target", "echo"], &dir);
    let ir = lbc_with_path(&["compile", example, "--target", "ir"], &dir);
    assert_eq!(via_plugin.status.code(), Some(0));
    assert_eq!(via_plugin.stdout, ir.stdout);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn plugin_failures_are_diagnostics_naming_the_plugin() {
    let dir = plugin_dir(
        "bad",
        &[
            (
                "lbc-backend-fails",
                "#!/bin/sh\ncat >/dev/null\necho 'cannot do sticky' >&2\nexit 3\n",
            ),
            (
                "lbc-backend-binary",
                "#!/bin/sh\ncat >/dev/null\nprintf 'ok\\377\\n'\n",
            ),
        ],
    );
    let example = workspace().join("examples/k8s-api.lbdsl");
    let example = example.to_str().expect("utf-8");
    let out_file = dir.join("out.txt");
    std::fs::write(&out_file, "previous").expect("write");
    let out_arg = out_file.to_str().expect("utf-8");

    let fails = lbc_with_path(
        &["compile", example, "--target", "fails", "-o", out_arg],
        &dir,
    );
    assert_eq!(fails.status.code(), Some(1));
    let err = text(&fails.stderr);
    assert!(
        err.contains("error[E0028]: the plugin `lbc-backend-fails` failed"),
        "{err}"
    );
    assert!(
        err.contains("cannot do sticky"),
        "its stderr is shown: {err}"
    );

    let binary = lbc_with_path(
        &["compile", example, "--target", "binary", "-o", out_arg],
        &dir,
    );
    assert_eq!(binary.status.code(), Some(1));
    assert!(text(&binary.stderr).contains("`lbc-backend-binary` wrote output that is not UTF-8"));

    let missing = lbc_with_path(&["compile", example, "--target", "nosuch"], &dir);
    assert_eq!(missing.status.code(), Some(1));
    assert!(text(&missing.stderr).contains("no plugin `lbc-backend-nosuch` on PATH"));

    let sneaky = lbc_with_path(&["compile", example, "--target", "../../bin/sh"], &dir);
    assert_eq!(sneaky.status.code(), Some(1));
    assert!(text(&sneaky.stderr).contains("is not a target name"));

    assert_eq!(
        std::fs::read_to_string(&out_file).expect("read"),
        "previous"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
