//! The `lbc` binary: exit codes, where output and diagnostics go, and what a
//! user sees.

mod common;
use common::*;

fn example(name: &str) -> String {
    workspace_file(&format!("examples/{name}"))
}

#[test]
fn compiles_the_recipe_example_to_stdout() {
    let out = lbc(
        &["compile", &example("k8s-api.lbdsl"), "--target", "nft"],
        None,
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let script = text(&out.stdout);
    assert!(script.contains("table inet lbc {"), "{script}");
    assert!(script.contains("delete table inet lbc"), "{script}");
    assert!(out.stderr.is_empty(), "{}", text(&out.stderr));
}

#[test]
fn a_syntax_error_exits_1_with_a_rendered_diagnostic() {
    let src = "host a = 198.18.1.11\nvip 198.18.2.1:80 => rr [a]\n";
    let out = lbc(&["compile", "-", "--target", "nft"], Some(src));
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty(), "no output on error");
    let err = text(&out.stderr);
    assert!(
        err.contains("error[E0001]: expected `-`, `,`, `/` or `->`, found `=`"),
        "{err}"
    );
    assert!(err.contains("<stdin>:2:19"), "line and column: {err}");
    assert!(
        err.contains("vip 198.18.2.1:80 => rr [a]"),
        "the source line: {err}"
    );
}

#[test]
fn a_missing_file_is_an_io_error() {
    let out = lbc(
        &["compile", "/nonexistent/x.lbdsl", "--target", "nft"],
        None,
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("cannot read `/nonexistent/x.lbdsl`"));
}

#[test]
fn a_directory_is_an_io_error() {
    let out = lbc(&["check", "/tmp"], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("it is a directory"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(lbc(&["compile"], None).status.code(), Some(2));
    assert_eq!(lbc(&["frobnicate"], None).status.code(), Some(2));
    assert_eq!(lbc(&["--version"], None).status.code(), Some(0));
}

#[test]
fn output_file_is_written_and_kept_on_failure() {
    let temp = Temp::new("out");
    let dir = temp.0.clone();
    let out_path = dir.join("lb.nft");
    let ok = lbc(
        &[
            "compile",
            &example("k8s-api.lbdsl"),
            "--target",
            "nft",
            "-o",
            out_path.to_str().expect("utf-8 path"),
        ],
        None,
    );
    assert_eq!(ok.status.code(), Some(0), "{}", text(&ok.stderr));
    assert!(ok.stdout.is_empty());
    let written = std::fs::read_to_string(&out_path).expect("output written");
    assert!(written.contains("table inet lbc {"));

    let bad = lbc(
        &[
            "compile",
            "-",
            "--target",
            "nft",
            "-o",
            out_path.to_str().expect("utf-8 path"),
        ],
        Some("vip 198.18.2.1:80 -> rr [nope]\n"),
    );
    assert_eq!(bad.status.code(), Some(1));
    assert_eq!(
        std::fs::read_to_string(&out_path).expect("still there"),
        written,
        "a failed compile leaves OUT untouched"
    );
    let leftovers: Vec<_> = std::fs::read_dir(&dir).expect("dir").collect();
    assert_eq!(leftovers.len(), 1, "no temporary files are left behind");
}

#[test]
fn the_ir_target_prints_versioned_json() {
    let out = lbc(
        &["compile", &example("k8s-api.lbdsl"), "--target", "ir"],
        None,
    );
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(v["schema_version"], 1);
    assert_eq!(v["vips"][0]["members"][1]["address"], "198.18.1.12");
}

#[test]
fn backends_lists_the_targets() {
    let out = lbc(&["backends"], None);
    assert_eq!(out.status.code(), Some(0));
    let s = text(&out.stdout);
    for t in ["nft", "ir", "lbc-backend-NAME", "sticky", "port range"] {
        assert!(s.contains(t), "{t} missing from:\n{s}");
    }
}
