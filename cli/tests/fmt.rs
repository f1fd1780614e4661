//! `lbc fmt`: canonical layout, comments kept, idempotent; `--check` for CI.

mod common;
use common::*;

const MESSY: &str = "  # lead\nhost   a=198.18.1.11 # trailing\n\n\n\nvip 198.18.2.1:80,8080->rr[a,198.18.1.12 weight 2,]counter   comment \"x\"\nvip [2001:DB8::0:1]:443 -> hash [2001:db8:0::2] # v6\n";
const TIDY: &str = "# lead\nhost a = 198.18.1.11  # trailing\n\nvip 198.18.2.1:80,8080 -> rr [a, 198.18.1.12 weight 2] counter comment \"x\"\nvip [2001:db8::1]:443 -> hash [2001:db8::2]  # v6\n";

#[test]
fn formats_stdin_to_stdout() {
    let out = lbc(&["fmt", "-"], Some(MESSY));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), TIDY);
    let again = lbc(&["fmt", "-"], Some(TIDY));
    assert_eq!(text(&again.stdout), TIDY, "idempotent");
}

#[test]
fn rewrites_files_in_place_and_check_lists_them() {
    let t = Temp::new("fmt");
    let messy = t.file("messy.lbdsl", MESSY);
    let tidy = t.file("tidy.lbdsl", TIDY);
    let check = lbc(&["fmt", "--check", &messy, &tidy], None);
    assert_eq!(check.status.code(), Some(1));
    assert_eq!(text(&check.stdout), format!("{messy}\n"));
    assert_eq!(
        std::fs::read_to_string(&messy).expect("read"),
        MESSY,
        "--check changes nothing"
    );

    assert_eq!(lbc(&["fmt", &messy, &tidy], None).status.code(), Some(0));
    assert_eq!(std::fs::read_to_string(&messy).expect("read"), TIDY);
    assert_eq!(
        lbc(&["fmt", "--check", &messy, &tidy], None).status.code(),
        Some(0)
    );
}

#[test]
fn long_lists_and_comments_in_lists_go_one_member_per_line() {
    let src = "pool web = [198.18.1.11 weight 10, 198.18.1.12 weight 20, 198.18.1.13 weight 30, 198.18.1.14, 198.18.1.15]\nvip 198.18.2.1:80 -> rr [\n198.18.1.11, # one\n# two next\n198.18.1.12] sticky 1h\n";
    let out = lbc(&["fmt", "-"], Some(src));
    let expected = "pool web = [\n    198.18.1.11 weight 10,\n    198.18.1.12 weight 20,\n    198.18.1.13 weight 30,\n    198.18.1.14,\n    198.18.1.15,\n]\nvip 198.18.2.1:80 -> rr [\n    198.18.1.11,  # one\n    # two next\n    198.18.1.12,\n] sticky 1h\n";
    assert_eq!(text(&out.stdout), expected);
    assert_eq!(text(&lbc(&["fmt", "-"], Some(expected)).stdout), expected);
}

#[test]
fn a_file_with_a_syntax_error_is_reported_and_left_alone() {
    let t = Temp::new("fmt-bad");
    let bad = t.file("bad.lbdsl", "vip 198.18.2.1 -> rr [a]\n");
    let out = lbc(&["fmt", &bad], None);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("error[E0001]"));
    assert_eq!(
        std::fs::read_to_string(&bad).expect("read"),
        "vip 198.18.2.1 -> rr [a]\n"
    );
}

#[test]
fn every_example_and_fixture_is_formatted() {
    let mut files = Vec::new();
    for dir in [
        "examples",
        "examples/everything",
        "tests/fixtures/lang",
        "tests/fixtures/lang/inc",
    ] {
        for e in std::fs::read_dir(workspace_file(dir))
            .expect("dir")
            .flatten()
        {
            let p = e.path();
            if p.extension().is_some_and(|x| x == "lbdsl") {
                files.push(p.to_string_lossy().into_owned());
            }
        }
    }
    let args: Vec<&str> = std::iter::once("fmt")
        .chain(std::iter::once("--check"))
        .chain(files.iter().map(String::as_str))
        .collect();
    let out = lbc(&args, None);
    assert_eq!(
        out.status.code(),
        Some(0),
        "not formatted:\n{}{}",
        text(&out.stdout),
        text(&out.stderr)
    );
}
