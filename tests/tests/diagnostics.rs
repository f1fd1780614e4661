//! Every diagnostic code: a fixture named after it (`tests/fixtures/diagnostics/
//! CODE.lbdsl`) that emits it, with its source, its rendered form and its JSON
//! form in a snapshot; a long explanation whose example emits it too.

use std::path::Path;

use lbc_cli::render::{human_string, json, short};
use lbc_compiler::{Code, Severity};
use lbc_tests::{compile, relative, root};

/// The target a fixture is compiled for: E0024 needs a target that refuses,
/// E0028 a plugin that does not exist.
fn target_for(code: &str) -> &'static str {
    match code {
        "E0028" => "no-such-plugin",
        _ => "nft",
    }
}

fn render(path: &Path, target: &str) -> (String, String, String) {
    let c = compile(path, target);
    let name = relative(path);
    (
        human_string(&c.sources, &c.diagnostics),
        short(&c.sources, &c.diagnostics, &name),
        json(&c.sources, &c.diagnostics, &name),
    )
}

fn snapshot_fixture(path: &Path) {
    let code = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let source = String::from_utf8_lossy(&std::fs::read(path).expect("fixture")).into_owned();
    let (human, short, json) = render(path, target_for(&code));
    assert!(
        short.contains(&format!("[{code}]")),
        "{code} not emitted:\n{short}"
    );
    for line in json.lines() {
        let v: serde_json::Value = serde_json::from_str(line).expect("one JSON object per line");
        for field in [
            "severity",
            "code",
            "message",
            "file",
            "line",
            "column",
            "end_line",
            "end_column",
            "labels",
            "notes",
        ] {
            assert!(v.get(field).is_some(), "{field} missing in {line}");
        }
    }
    let source = if source.len() > 2000 {
        format!("{}…", &source[..200])
    } else {
        source
    };
    insta::assert_snapshot!(format!(
        "{source}\n----- human -----\n{human}\n----- json -----\n{json}"
    ));
}

#[test]
fn every_code_fixture_emits_its_code() {
    insta::glob!("../fixtures/diagnostics", "*.lbdsl", snapshot_fixture);
}

#[test]
fn every_code_has_a_fixture_and_an_explanation() {
    let mut missing = Vec::new();
    for code in Code::ALL {
        let c = code.as_str();
        if !root()
            .join(format!("tests/fixtures/diagnostics/{c}.lbdsl"))
            .exists()
        {
            missing.push(format!("{c}: no fixture"));
        }
        let text = code.explanation();
        let title = format!("# {c}: ");
        if !text.starts_with(&title) || !text.contains("## How to fix it") || text.len() < 300 {
            missing.push(format!("{c}: no full explanation in docs/codes/{c}.md"));
        }
        let is_warning = code.severity() == Severity::Warning;
        assert_eq!(
            c.starts_with('W'),
            is_warning,
            "{c}: the letter says the severity"
        );
    }
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}

#[test]
fn every_explanation_example_emits_its_code() {
    let dir = lbc_tests::temp::TempDir::new("explain");
    for code in Code::ALL {
        let c = code.as_str();
        let text = code.explanation();
        let Some(start) = text.find("```lbdsl\n") else {
            continue;
        };
        let body = &text[start + 9..];
        let example = &body[..body.find("```").expect("closed fence")];
        let file = dir.file(&format!("{c}.lbdsl"), example);
        let (_, short, _) = render(&file, "nft");
        assert!(
            short.contains(&format!("[{c}]")),
            "the example of {c} does not emit it:\n{example}\n{short}"
        );
    }
}

#[test]
fn codes_are_unique_and_parse_back() {
    let mut seen = std::collections::HashSet::new();
    for code in Code::ALL {
        assert!(seen.insert(code.as_str()), "{} twice", code.as_str());
        assert_eq!(Code::parse(&code.as_str().to_lowercase()), Some(*code));
    }
}

#[test]
fn ten_mistakes_are_ten_diagnostics_in_one_run() {
    let path = root().join("tests/fixtures/check/ten_mistakes.lbdsl");
    let c = compile(&path, "nft");
    let errors: std::collections::BTreeSet<&str> = c
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| d.code.as_str())
        .collect();
    assert!(errors.len() >= 10, "{errors:?}");
    let starts: Vec<_> = c
        .diagnostics
        .iter()
        .filter_map(|d| d.site())
        .map(|s| (s.file, s.span.start))
        .collect();
    let mut sorted = starts.clone();
    sorted.sort();
    assert_eq!(starts, sorted, "diagnostics are sorted by position");
    insta::assert_snapshot!(human_string(&c.sources, &c.diagnostics));
}
