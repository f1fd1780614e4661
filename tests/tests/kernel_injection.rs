//! Hostile text in the places the grammar allows it (comments and include
//! paths, which become `file:line` pointers) never escapes into extra nft
//! statements, extra iptables rules or shell commands: every target's output
//! loads into a namespace and holds exactly the expected rules, with the text
//! intact, and no command in the text runs.

use lbc_tests::iptables::{load_restore, run_script, saved, saved_comment};
use lbc_tests::netns::Netns;
use lbc_tests::temp::TempDir;
use lbc_tests::{compile_ok, kernel};

/// A file name full of shell and nft syntax.
const WEIRD_FILE: &str = "we'ird \"q\"; $(touch PWN1) `touch PWN2` #; x.lbdsl";
/// A comment full of shell, nft and iptables syntax (no `"`: nft cannot hold it).
const NASTY_COMMENT: &str = "x'; $(touch PWN3); `touch PWN4` # } ; flush ruleset \\ -j ACCEPT";
/// The same with double quotes, for the iptables targets.
const QUOTED_COMMENT: &str = "\" ; -A INPUT -j DROP \"; $(touch PWN5)";

fn escape(s: &str) -> String {
    s.replace('\\', "\\\\").replace('"', "\\\"")
}

fn setup(comment: &str) -> (TempDir, std::path::PathBuf) {
    let dir = TempDir::new("inject");
    dir.file(
        WEIRD_FILE,
        &format!(
            "vip 198.18.2.1:80 -> rr [198.18.1.11, 198.18.1.12] counter comment \"{}\"\n",
            escape(comment)
        ),
    );
    let main = dir.file(
        "main.lbdsl",
        &format!("include \"{}\"\n", escape(WEIRD_FILE)),
    );
    (dir, main)
}

fn no_commands_ran(dir: &TempDir) {
    for i in 1..=5 {
        let name = format!("PWN{i}");
        assert!(
            !dir.path().join(&name).exists(),
            "{name} was created in the test directory"
        );
        assert!(
            !std::path::Path::new("/").join(&name).exists(),
            "{name} was created in /"
        );
    }
}

#[test]
fn nft_targets_keep_hostile_text_in_comments() {
    if !kernel::required() {
        return;
    }
    let (dir, main) = setup(NASTY_COMMENT);
    let mut listings = Vec::new();
    for (target, args) in [
        ("nft", vec!["-f", "-"]),
        ("nft-json", vec!["-j", "-f", "-"]),
    ] {
        let out = compile_ok(&main, target);
        let ns = Netns::new("lbc-inj");
        ns.ok_with("nft", &args, Some(out.as_bytes()));
        let listing = ns.nft_listing();
        assert_eq!(
            listing.matches("table ").count(),
            1,
            "{target}: one table only:\n{listing}"
        );
        assert_eq!(
            listing.matches("dnat ip to").count(),
            2,
            "{target}: exactly two DNAT rules:\n{listing}"
        );
        assert!(
            listing.contains(&format!("comment \"{NASTY_COMMENT}\"")),
            "{target}: the comment is intact:\n{listing}"
        );
        let pointer = format!("{}:1", dir.path().join(WEIRD_FILE).display()).replace('"', "'");
        assert!(
            listing.contains(&format!(
                "comment \"{}",
                &pointer[pointer.len().saturating_sub(120)..]
            )),
            "{target}: the file:line pointer is there, with ' for \":\n{listing}"
        );
        listings.push(listing);
    }
    assert_eq!(listings[0], listings[1]);
    no_commands_ran(&dir);
}

/// Loads a target's output into a namespace.
type Loader<'a> = Box<dyn Fn(&Netns) + 'a>;

#[test]
fn iptables_targets_keep_hostile_text_in_comments() {
    if !kernel::required() {
        return;
    }
    for comment in [NASTY_COMMENT, QUOTED_COMMENT] {
        let (dir, main) = setup(comment);
        let restore = compile_ok(&main, "iptables-restore");
        let script = compile_ok(&main, "iptables");
        let pointer = format!("{}:1", dir.path().join(WEIRD_FILE).display()).replace('"', "'");
        let expected_comment = saved_comment(&format!("{pointer} {comment}"));
        let loaders: [(&str, Loader); 2] = [
            (
                "iptables-restore",
                Box::new(|ns: &Netns| load_restore(ns, &restore)),
            ),
            ("iptables", Box::new(|ns: &Netns| run_script(ns, &script))),
        ];
        let mut results = Vec::new();
        for (target, load) in &loaders {
            let ns = Netns::new("lbc-inj");
            let before = saved(&ns);
            load(&ns);
            let after = saved(&ns);
            let new_rules: Vec<&str> = after
                .lines()
                .filter(|l| l.starts_with("-A ") && !before.contains(*l))
                .collect();
            // 2 DNAT, 1 SNAT and 1 COUNT rule, and 5 jumps per family.
            assert_eq!(
                new_rules.len(),
                14,
                "{target}: exactly lbc's rules:\n{}",
                new_rules.join("\n")
            );
            let own: Vec<&&str> = new_rules
                .iter()
                .filter(|r| r.starts_with("-A lbc."))
                .collect();
            assert_eq!(own.len(), 4, "{target}: {own:?}");
            for r in &own {
                assert!(
                    r.contains(&expected_comment),
                    "{target}: comment not intact in\n{r}\nexpected {expected_comment}"
                );
            }
            results.push(after);
        }
        assert_eq!(
            results[0], results[1],
            "both iptables targets give the same rules"
        );
        no_commands_ran(&dir);
    }
}

#[test]
fn newlines_and_control_characters_are_rejected_before_any_output() {
    for bad in [
        "a\nb",
        "tab\there",
        "bidi \u{202e}evil",
        "zero\u{200b}width",
    ] {
        let dir = TempDir::new("inject-ctl");
        let file = dir.file(
            "x.lbdsl",
            &format!("vip 198.18.2.1:80 -> rr [198.18.1.11] comment \"{bad}\"\n"),
        );
        for target in ["nft", "nft-json", "iptables", "iptables-restore"] {
            let c = lbc_tests::compile(&file, target);
            assert!(c.output.is_none(), "{target} accepted {bad:?}");
            assert!(
                c.diagnostics
                    .iter()
                    .any(|d| matches!(d.code.as_str(), "E0001" | "E0022")),
                "{bad:?}"
            );
        }
    }
}
