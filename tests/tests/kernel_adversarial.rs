//! The adversarial corpus: hostile text in a vip comment. Each case is either
//! rejected with the expected diagnostic, or compiled for every target, loaded
//! into a fresh namespace and listed back with exactly the expected rules and
//! the text intact.

use lbc_tests::iptables::{load_restore, run_script, saved, saved_comment};
use lbc_tests::netns::Netns;
use lbc_tests::temp::TempDir;
use lbc_tests::{compile, kernel};

/// A comment and what lbc must do with it on the nft and iptables targets:
/// `Ok` to carry it, `Err(code)` to reject it.
struct Case {
    comment: String,
    nft: Result<(), &'static str>,
    iptables: Result<(), &'static str>,
}

fn case(comment: &str, nft: Result<(), &'static str>, iptables: Result<(), &'static str>) -> Case {
    Case {
        comment: comment.to_string(),
        nft,
        iptables,
    }
}

fn corpus() -> Vec<Case> {
    let both = |c: &str| case(c, Ok(()), Ok(()));
    let rejected = |c: &str, code| case(c, Err(code), Err(code));
    vec![
        both("single ' quote"),
        case("double \" quote", Err("E0024"), Ok(())),
        both("back\\slash \\\\ two"),
        both("semi; colons; flush ruleset;"),
        both("$(touch /tmp/lbc-adv-PWN1) and `touch /tmp/lbc-adv-PWN2`"),
        both("# not a comment } { ; ] ["),
        both("-j ACCEPT -A INPUT -j DROP"),
        both("ünïcödé ✓ 日本語"),
        both(&"x".repeat(128)),
        both(&"é".repeat(64)),
        rejected(&"x".repeat(129), "E0021"),
        rejected("tab\there", "E0022"),
        rejected("bidi \u{202e}reversed", "E0022"),
        rejected("zero\u{200b}width", "E0022"),
        rejected("nul \u{0} byte", "E0022"),
        rejected("bell \u{7}", "E0022"),
        rejected("isolate \u{2066}x\u{2069}", "E0022"),
        rejected("bom \u{feff}", "E0022"),
        rejected("escape \\n", "E0025"),
        rejected("line\nbreak", "E0001"),
    ]
}

fn escape(s: &str) -> String {
    s.replace('\\', "\\\\").replace('"', "\\\"")
}

/// The comment as lbdsl source; backslashes already in the corpus stand for
/// themselves except where a case is about escapes.
fn source(c: &Case) -> String {
    let text = if c.comment.contains("\\n") {
        c.comment.clone()
    } else {
        escape(&c.comment)
    };
    format!("vip 198.18.2.1:80 -> rr [198.18.1.11, 198.18.1.12] counter comment \"{text}\"\n")
}

#[test]
fn every_case_is_rejected_or_carried_intact_by_every_target() {
    if !kernel::required() {
        return;
    }
    let dir = TempDir::new("adversarial");
    let mut failures = Vec::new();
    for (i, c) in corpus().iter().enumerate() {
        let file = dir.file(&format!("case{i}.lbdsl"), &source(c));
        for target in ["nft", "nft-json", "iptables", "iptables-restore"] {
            let expect = if target.starts_with("nft") {
                c.nft
            } else {
                c.iptables
            };
            let out = compile(&file, target);
            let codes: Vec<&str> = out.diagnostics.iter().map(|d| d.code.as_str()).collect();
            let result = match (expect, &out.output) {
                (Err(code), None) if codes.contains(&code) => Ok(()),
                (Err(code), _) => Err(format!("expected {code}, got {codes:?}")),
                (Ok(()), None) => Err(format!("rejected: {codes:?}")),
                (Ok(()), Some(text)) => load_and_check(target, text, &c.comment),
            };
            if let Err(e) = result {
                failures.push(format!("case {i} ({:?}) on {target}: {e}", c.comment));
            }
        }
    }
    for f in ["/tmp/lbc-adv-PWN1", "/tmp/lbc-adv-PWN2"] {
        assert!(
            !std::path::Path::new(f).exists(),
            "{f} was created: a command ran"
        );
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn load_and_check(target: &str, output: &str, comment: &str) -> Result<(), String> {
    let ns = Netns::new("lbc-adv");
    if target.starts_with("nft") {
        let args: &[&str] = if target == "nft" {
            &["-f", "-"]
        } else {
            &["-j", "-f", "-"]
        };
        let out = ns.exec("nft", args, Some(output.as_bytes()));
        if !out.status.success() {
            return Err(format!(
                "nft refused it: {}",
                String::from_utf8_lossy(&out.stderr)
            ));
        }
        let listing = ns.nft_listing();
        let dnats = listing.matches("dnat ip to").count();
        let with_comment = listing.matches(&format!("comment \"{comment}\"")).count();
        if listing.matches("table ").count() != 1 || dnats != 2 || with_comment != 1 {
            return Err(format!(
                "unexpected listing ({dnats} dnat, {with_comment} comments):\n{listing}"
            ));
        }
    } else {
        let before = saved(&ns);
        if target == "iptables" {
            run_script(&ns, output);
        } else {
            load_restore(&ns, output);
        }
        let after = saved(&ns);
        let own: Vec<&str> = after.lines().filter(|l| l.starts_with("-A lbc.")).collect();
        let jumps = after
            .lines()
            .filter(|l| l.contains(" -j lbc.") && !l.starts_with("-A lbc."))
            .count();
        let expected_comment = saved_comment(&format!("{} {comment}", pointer(output)));
        if own.len() != 4
            || jumps != 10
            || !own.iter().all(|r| r.contains(&expected_comment))
            || before.contains("-A lbc.")
        {
            return Err(format!(
                "unexpected rules (looking for {expected_comment}):\n{after}"
            ));
        }
    }
    Ok(())
}

/// The `file:line` pointer in an iptables output's first DNAT rule.
fn pointer(output: &str) -> String {
    output
        .lines()
        .find(|l| l.contains("-j DNAT"))
        .and_then(|l| l.split("--comment ").nth(1))
        .and_then(|c| c.trim_start_matches(['"', '\'']).split(' ').next())
        .unwrap_or_default()
        .to_string()
}
