//! A feature a target cannot express faithfully is an error (E0024) that names
//! the target, the feature and the source span; never a silent drop.

use lbc_cli::render::human_string;
use lbc_tests::compile;
use lbc_tests::temp::TempDir;

/// Compiles `src` for `target`; returns the rendered diagnostics and whether
/// output was produced.
fn try_compile(src: &str, target: &str) -> (String, bool) {
    let dir = TempDir::new("caps");
    let file = dir.file("prog.lbdsl", src);
    let c = compile(&file, target);
    let text =
        human_string(&c.sources, &c.diagnostics).replace(&dir.path().display().to_string(), "DIR");
    (text, c.output.is_some())
}

fn refused(src: &str, target: &str) -> String {
    let (text, ok) = try_compile(src, target);
    assert!(!ok, "{target} should refuse:\n{src}");
    assert!(text.contains("error[E0024]"), "{text}");
    assert!(
        text.contains(&format!("the `{target}` target cannot express")),
        "{text}"
    );
    text
}

fn accepted(src: &str, target: &str) {
    let (text, ok) = try_compile(src, target);
    assert!(ok, "{target} should accept:\n{src}\n{text}");
}

#[test]
fn nft_table_name_must_not_be_an_nft_keyword() {
    let src = "table ip6\nvip 198.18.2.1:80 -> rr [198.18.1.11]\n";
    for target in ["nft", "nft-json"] {
        let text = refused(src, target);
        assert!(text.contains("table name is used here"), "{text}");
        assert!(text.contains("`ip6` is a reserved word"), "{text}");
    }
    accepted(src, "iptables");
    accepted(src, "iptables-restore");
}

#[test]
fn nft_comments_cannot_hold_a_double_quote() {
    let src = "vip 198.18.2.1:80 -> rr [198.18.1.11] comment \"say \\\"hi\\\"\"\n";
    let text = refused(src, "nft");
    insta::assert_snapshot!(text);
    accepted(src, "iptables");
    accepted(src, "iptables-restore");
}

#[test]
fn iptables_limits() {
    let long = format!(
        "table {}\nvip 198.18.2.1:80 -> rr [198.18.1.11]\n",
        "t".repeat(23)
    );
    refused(&long, "iptables");
    accepted(&long, "nft");
    let ok_len = format!(
        "table {}\nvip 198.18.2.1:80 -> rr [198.18.1.11]\n",
        "t".repeat(22)
    );
    accepted(&ok_len, "iptables-restore");

    let hash = "vip 198.18.2.1:80 -> hash [198.18.1.11 weight 33, 198.18.1.12 weight 2]\n";
    let text = refused(hash, "iptables");
    assert!(
        text.contains("at most 32 slots; this vip needs 35"),
        "{text}"
    );
    accepted(hash, "nft");
    accepted(
        "vip 198.18.2.1:80 -> hash [198.18.1.11 weight 30, 198.18.1.12 weight 2]\n",
        "iptables",
    );

    let ports: Vec<String> = (1..=16).map(|p| (8000 + p).to_string()).collect();
    let many = format!("vip 198.18.2.1:{} -> rr [198.18.1.11]\n", ports.join(","));
    let text = refused(&many, "iptables-restore");
    assert!(text.contains("this vip lists 16"), "{text}");
    accepted(&many, "nft");
}

#[test]
fn every_error_is_reported_once_per_use() {
    let src = "vip 198.18.2.1:80 -> hash [198.18.1.11 weight 40, 198.18.1.12]\n\
               vip 198.18.2.2:80 -> hash [198.18.1.11 weight 50, 198.18.1.12]\n";
    let text = refused(src, "iptables");
    assert_eq!(text.matches("error[E0024]").count(), 2, "{text}");
}
