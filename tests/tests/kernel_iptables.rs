//! Every fixture's and example's `iptables-restore` and `iptables` outputs,
//! loaded into fresh network namespaces that already hold someone else's
//! rules: both load, loading twice leaves exactly what loading once leaves
//! (checked with iptables-nft-save), both give the same rules, and they add
//! nothing but lbc's own chains and the single jumps into them.

use lbc_tests::iptables::{load_restore, run_script, saved};
use lbc_tests::netns::Netns;
use lbc_tests::{compile_ok, kernel, relative};

/// Rules of someone else: in nat PREROUTING/POSTROUTING (both families), in
/// mangle, and an nft table.
fn install_foreign(ns: &Netns) {
    for tool in ["iptables-nft", "ip6tables-nft"] {
        ns.ok(
            tool,
            &[
                "-t",
                "nat",
                "-A",
                "PREROUTING",
                "-p",
                "tcp",
                "--dport",
                "2222",
                "-j",
                "REDIRECT",
                "--to-ports",
                "22",
            ],
        );
        ns.ok(
            tool,
            &["-t", "nat", "-A", "POSTROUTING", "-o", "lo", "-j", "ACCEPT"],
        );
        ns.ok(
            tool,
            &[
                "-t",
                "mangle",
                "-A",
                "PREROUTING",
                "-p",
                "udp",
                "--dport",
                "9",
                "-j",
                "MARK",
                "--set-mark",
                "7",
            ],
        );
        ns.ok(
            tool,
            &[
                "-t", "filter", "-A", "INPUT", "-p", "tcp", "--dport", "22", "-j", "ACCEPT",
            ],
        );
    }
    ns.ok_with(
        "nft",
        &["-f", "-"],
        Some(b"table inet filter {\n chain input {\n  type filter hook input priority 0; policy accept;\n  tcp dport 22 counter accept\n }\n}\n"),
    );
}

/// Whether a saved line belongs to lbc (table name `table`).
fn is_lbc_line(line: &str, table: &str) -> bool {
    let own = format!("{table}.");
    let chain_decl = line.starts_with(&format!(":{own}"));
    let own_rule = line.starts_with(&format!("-A {own}"));
    let jump = ["PREROUTING", "OUTPUT", "POSTROUTING"]
        .iter()
        .any(|b| line.starts_with(&format!("-A {b} -j {own}")));
    chain_decl || own_rule || jump
}

/// Loads with `load` twice; returns the saved rules after one load.
fn check(name: &str, table: &str, load: &dyn Fn(&Netns)) -> String {
    let ns = Netns::new("lbc-ipt");
    install_foreign(&ns);
    let foreign_nft = ns.ok("nft", &["-s", "list", "table", "inet", "filter"]);
    let before = saved(&ns);
    load(&ns);
    let once = saved(&ns);
    load(&ns);
    let twice = saved(&ns);
    assert_eq!(once, twice, "{name}: loading twice changed the rules");
    assert_eq!(
        foreign_nft,
        ns.ok("nft", &["-s", "list", "table", "inet", "filter"])
    );
    // Every line that was there is still there, in order; every new line is lbc's.
    let kept: Vec<&str> = once.lines().filter(|l| !is_lbc_line(l, table)).collect();
    let was: Vec<&str> = before.lines().collect();
    // Chains lbc's load declared in tables that did not exist before show up as
    // built-in chain headers; compare only rules and COMMIT structure.
    let rules = |v: &[&str]| -> Vec<String> {
        v.iter()
            .filter(|l| l.starts_with("-A "))
            .map(|l| l.to_string())
            .collect()
    };
    assert_eq!(
        rules(&was),
        rules(&kept),
        "{name}: someone else's rules changed"
    );
    let jumps = once.lines().filter(|l| {
        ["PREROUTING", "OUTPUT", "POSTROUTING"]
            .iter()
            .any(|b| l.starts_with(&format!("-A {b} -j {table}.")))
    });
    assert_eq!(
        jumps.count(),
        10,
        "{name}: five jumps per family, each once:\n{once}"
    );
    once
}

/// The table name of a program (from its nft output, which names it).
fn table_of(nft: &str) -> String {
    nft.lines()
        .find_map(|l| l.strip_prefix("table inet "))
        .map(|s| s.trim_end_matches(" {").to_string())
        .unwrap_or_else(|| "lbc".to_string())
}

#[test]
fn every_program_loads_idempotently_and_stays_in_its_own_chains() {
    if !kernel::required() {
        return;
    }
    lbc_tests::check_every_program(|path| {
        let name = relative(path);
        let restore = compile_ok(path, "iptables-restore");
        let script = compile_ok(path, "iptables");
        let table = table_of(&compile_ok(path, "nft"));
        let a = check(&name, &table, &|ns| load_restore(ns, &restore));
        let b = check(&name, &table, &|ns| run_script(ns, &script));
        assert_eq!(
            a, b,
            "{name}: iptables and iptables-restore give different rules"
        );
    });
}
