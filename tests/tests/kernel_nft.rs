//! Every fixture's and example's `nft` and `nft-json` outputs, each loaded into
//! a fresh network namespace with the real `nft`: loading twice leaves exactly
//! the listing that loading once leaves, a foreign ruleset already there (an
//! iptables-nft `nat` rule and a `table inet filter` with a rule) is unchanged,
//! and both targets give the same kernel ruleset (`nft -s list ruleset`).

use lbc_tests::netns::Netns;
use lbc_tests::{compile_ok, kernel};

/// A ruleset that belongs to someone else.
fn install_foreign(ns: &Netns) {
    ns.ok(
        "iptables-nft",
        &[
            "-t",
            "nat",
            "-A",
            "PREROUTING",
            "-s",
            "198.18.99.1",
            "-p",
            "tcp",
            "--dport",
            "22",
            "-j",
            "ACCEPT",
        ],
    );
    ns.ok(
        "iptables-nft",
        &[
            "-t",
            "nat",
            "-A",
            "POSTROUTING",
            "-d",
            "198.18.99.0/24",
            "-j",
            "MASQUERADE",
        ],
    );
    ns.ok_with(
        "nft",
        &["-f", "-"],
        Some(b"table inet filter {\n chain input {\n  type filter hook input priority 0; policy accept;\n  tcp dport 22 counter accept\n }\n}\n"),
    );
}

fn foreign_state(ns: &Netns) -> String {
    let save = ns.ok("iptables-nft-save", &["-t", "nat"]);
    let save: Vec<&str> = save.lines().filter(|l| !l.starts_with('#')).collect();
    format!(
        "{}\n{}",
        save.join("\n"),
        ns.ok("nft", &["-s", "list", "table", "inet", "filter"])
    )
}

/// Loads `output` twice into a fresh namespace holding a foreign ruleset;
/// checks idempotence and that the foreign rules are untouched; returns the
/// listing of lbc's part.
fn load_twice(output: &str, nft_args: &[&str]) -> String {
    let ns = Netns::new("lbc-nft");
    install_foreign(&ns);
    let foreign = foreign_state(&ns);
    let before = ns.nft_listing();
    ns.ok_with("nft", nft_args, Some(output.as_bytes()));
    let once = ns.nft_listing();
    ns.ok_with("nft", nft_args, Some(output.as_bytes()));
    let twice = ns.nft_listing();
    assert_eq!(
        once,
        twice,
        "loading twice changed the ruleset ({})",
        nft_args.join(" ")
    );
    assert_eq!(
        foreign,
        foreign_state(&ns),
        "the foreign ruleset changed ({})",
        nft_args.join(" ")
    );
    once.strip_prefix(before.as_str())
        .map_or(once.clone(), str::to_string)
}

#[test]
fn every_program_loads_twice_identically_and_leaves_foreign_rules_alone() {
    if !kernel::required() {
        return;
    }
    lbc_tests::check_every_program(|path| {
        let script = compile_ok(path, "nft");
        let json = compile_ok(path, "nft-json");
        let from_text = load_twice(&script, &["-f", "-"]);
        let from_json = load_twice(&json, &["-j", "-f", "-"]);
        assert_eq!(
            from_text, from_json,
            "nft and nft-json give different rulesets"
        );
        let has_vips = script.contains("chain vip_");
        assert_eq!(
            has_vips,
            from_text.contains("table inet"),
            "the program's table is {}",
            if has_vips { "missing" } else { "unexpected" }
        );
    });
}

#[test]
fn reloading_replaces_the_previous_program_and_an_empty_program_removes_it() {
    if !kernel::required() {
        return;
    }
    let ns = Netns::new("lbc-nftre");
    install_foreign(&ns);
    let foreign = foreign_state(&ns);
    let clean = ns.nft_listing();
    let fixtures = lbc_tests::root().join("tests/fixtures/lang");
    let big = compile_ok(&fixtures.join("dual_stack.lbdsl"), "nft");
    let small = compile_ok(&fixtures.join("rr.lbdsl"), "nft");
    let empty = compile_ok(&fixtures.join("empty.lbdsl"), "nft");

    ns.ok_with("nft", &["-f", "-"], Some(small.as_bytes()));
    let small_alone = ns.nft_listing();
    ns.ok_with("nft", &["-f", "-"], Some(big.as_bytes()));
    ns.ok_with("nft", &["-f", "-"], Some(small.as_bytes()));
    assert_eq!(
        small_alone,
        ns.nft_listing(),
        "a reload must leave nothing of the previous program"
    );
    ns.ok_with("nft", &["-f", "-"], Some(empty.as_bytes()));
    assert_eq!(
        clean,
        ns.nft_listing(),
        "an empty program removes lbc's table"
    );
    assert_eq!(foreign, foreign_state(&ns));
}

#[test]
fn table_names_that_nft_accepts_load() {
    if !kernel::required() {
        return;
    }
    // Words that look like nft vocabulary but are not reserved must keep working.
    for name in ["nat", "filter", "lb", "route", "kube", "edge_lb-1"] {
        let src = format!("table {name}\nvip 198.18.2.1:80 -> rr [198.18.1.11]\n");
        let dir = std::env::temp_dir().join(format!("lbc-tn-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let file = dir.join(format!("{name}.lbdsl"));
        std::fs::write(&file, src).expect("write");
        let script = compile_ok(&file, "nft");
        let ns = Netns::new("lbc-tn");
        ns.ok_with("nft", &["-f", "-"], Some(script.as_bytes()));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
