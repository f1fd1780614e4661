//! `lbc fmt` over every fixture and example that parses: formatting is
//! idempotent, keeps every comment, and the result parses to the same
//! statements.

use lbc_grammar::{fmt::format, parse};

fn lbdsl_files_under(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    for e in std::fs::read_dir(dir).expect("dir").flatten() {
        let p = e.path();
        if p.is_dir() {
            lbdsl_files_under(&p, out);
        } else if p.extension().is_some_and(|x| x == "lbdsl") {
            out.push(p);
        }
    }
}

#[test]
fn fmt_is_idempotent_and_keeps_comments_on_every_fixture_and_example() {
    let mut files = Vec::new();
    lbdsl_files_under(&lbc_tests::root().join("tests/fixtures"), &mut files);
    lbdsl_files_under(&lbc_tests::root().join("examples"), &mut files);
    let mut checked = 0;
    for path in files {
        let Ok(src) = std::fs::read_to_string(&path) else {
            continue;
        }; // not UTF-8 on purpose
        let parsed = parse(&src);
        if !parsed.errors.is_empty() {
            continue; // syntax-error fixtures
        }
        let once = format(&parsed.file, &src);
        let reparsed = parse(&once);
        assert!(
            reparsed.errors.is_empty(),
            "{}: formatted text does not parse",
            path.display()
        );
        let twice = format(&reparsed.file, &once);
        assert_eq!(once, twice, "{}: not idempotent", path.display());
        let texts = |f: &lbc_grammar::ast::File| -> Vec<String> {
            f.comments
                .iter()
                .map(|c| c.text.trim_end().to_string())
                .collect()
        };
        assert_eq!(
            texts(&parsed.file),
            texts(&reparsed.file),
            "{}: comments",
            path.display()
        );
        assert_eq!(
            parsed.file.statements.len(),
            reparsed.file.statements.len(),
            "{}",
            path.display()
        );
        checked += 1;
    }
    assert!(checked > 50, "only {checked} files checked");
}
