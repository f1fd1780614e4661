//! `lbc check`: exit codes, formats, several files, stdin, --deny-warnings.

mod common;
use common::*;

const CLEAN: &str = "vip 198.18.2.1:80 -> rr [198.18.1.11, 198.18.1.12]\n";
const WARNS: &str = "host unused = 198.18.1.9\nvip 198.18.2.1:80 -> rr [198.18.1.11]\n";
const BROKEN: &str = "vip 198.18.2.1:80 -> rr [nope]\nvip 198.18.2.1:80 -> rr [198.18.1.11]\n";

#[test]
fn exit_codes_follow_the_spec() {
    let t = Temp::new("check-exit");
    let clean = t.file("clean.lbdsl", CLEAN);
    let warns = t.file("warns.lbdsl", WARNS);
    let broken = t.file("broken.lbdsl", BROKEN);
    assert_eq!(lbc(&["check", &clean], None).status.code(), Some(0));
    let w = lbc(&["check", &warns], None);
    assert_eq!(w.status.code(), Some(0), "warnings alone are fine");
    assert!(text(&w.stdout).contains("warning[W0002]"));
    assert_eq!(
        lbc(&["check", "--deny-warnings", &warns], None)
            .status
            .code(),
        Some(1)
    );
    assert_eq!(
        lbc(&["check", "--deny-warnings", &clean], None)
            .status
            .code(),
        Some(0)
    );
    assert_eq!(lbc(&["check", &broken], None).status.code(), Some(1));
    assert_eq!(
        lbc(&["check", &clean, "/nonexistent.lbdsl"], None)
            .status
            .code(),
        Some(2)
    );
    assert_eq!(
        lbc(&["check", "--message-format", "yaml", &clean], None)
            .status
            .code(),
        Some(2)
    );
}

#[test]
fn short_format_is_one_line_per_diagnostic() {
    let t = Temp::new("check-short");
    let broken = t.file("broken.lbdsl", BROKEN);
    let out = lbc(&["check", "--message-format", "short", &broken], None);
    let s = text(&out.stdout);
    let lines: Vec<&str> = s.lines().collect();
    assert_eq!(lines.len(), 2, "{s}");
    assert_eq!(
        lines[0],
        format!("{broken}:1:26: error[E0005]: no host named `nope` is defined")
    );
    assert!(
        lines[1].starts_with(&format!("{broken}:2:5: error[E0010]: ")),
        "{s}"
    );
}

#[test]
fn json_format_has_the_documented_fields() {
    let t = Temp::new("check-json");
    let broken = t.file("broken.lbdsl", BROKEN);
    let out = lbc(&["check", "--message-format", "json", &broken], None);
    let s = text(&out.stdout);
    let objects: Vec<serde_json::Value> = s
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON object per line"))
        .collect();
    assert_eq!(objects.len(), 2);
    let conflict = &objects[1];
    assert_eq!(conflict["severity"], "error");
    assert_eq!(conflict["code"], "E0010");
    assert_eq!(conflict["file"], broken.as_str());
    assert_eq!(
        (conflict["line"].as_u64(), conflict["column"].as_u64()),
        (Some(2), Some(5))
    );
    assert_eq!(
        (
            conflict["end_line"].as_u64(),
            conflict["end_column"].as_u64()
        ),
        (Some(2), Some(18))
    );
    let labels = conflict["labels"].as_array().expect("labels");
    assert_eq!(labels.len(), 2);
    assert_eq!(labels[0]["primary"], true);
    assert_eq!(labels[1]["primary"], false);
    assert_eq!(labels[1]["line"], 1);
    assert_eq!(labels[1]["message"], "the other vip listens here");
    assert!(conflict["notes"].is_array());
}

#[test]
fn several_files_and_stdin() {
    let t = Temp::new("check-many");
    let clean = t.file("clean.lbdsl", CLEAN);
    let broken = t.file("broken.lbdsl", BROKEN);
    let out = lbc(
        &["check", "--message-format", "short", &clean, &broken, "-"],
        Some(WARNS),
    );
    assert_eq!(out.status.code(), Some(1));
    let s = text(&out.stdout);
    assert_eq!(s.matches(&broken).count(), 2, "{s}");
    assert!(s.contains("<stdin>:1:6: warning[W0002]"), "{s}");
}

#[test]
fn human_format_renders_labels_and_help_without_colour() {
    let out = lbc(&["check", "-", "--color", "never"], Some(BROKEN));
    let s = text(&out.stdout);
    assert!(
        s.contains("error[E0005]: no host named `nope` is defined"),
        "{s}"
    );
    assert!(s.contains("┌─ <stdin>:1:26"), "{s}");
    assert!(!s.contains('\u{1b}'), "no colour codes");
    let coloured = lbc(&["check", "-", "--color", "always"], Some(BROKEN));
    assert!(
        text(&coloured.stdout).contains('\u{1b}'),
        "colour when asked for"
    );
}

#[test]
fn compile_refuses_to_write_when_there_are_errors() {
    let out = lbc(&["compile", "-", "--target", "nft"], Some(BROKEN));
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    assert!(text(&out.stderr).contains("error[E0010]"));
}

#[test]
fn explain_prints_every_code() {
    let out = lbc(&["explain", "E0010"], None);
    assert_eq!(out.status.code(), Some(0));
    assert!(text(&out.stdout).starts_with("# E0010: vips with overlapping ports"));
    assert_eq!(lbc(&["explain", "w0001"], None).status.code(), Some(0));
    let unknown = lbc(&["explain", "E9999"], None);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(text(&unknown.stderr).contains("not an lbc diagnostic code"));
}

#[test]
fn an_internal_error_says_it_is_a_bug_and_exits_101() {
    let out = lbc_env(&["backends"], None, &[("LBC_TEST_INTERNAL_ERROR", "1")]);
    assert_eq!(out.status.code(), Some(101));
    let err = text(&out.stderr);
    assert!(err.contains("internal error in lbc"), "{err}");
    assert!(err.contains("This is a bug in lbc"), "{err}");
    assert!(err.contains(env!("CARGO_PKG_VERSION")), "{err}");
}
