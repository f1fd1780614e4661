//! Loading the iptables targets' outputs into a namespace, as a user would.

use crate::netns::Netns;

/// Loads `iptables-restore` output: the IPv4 part with `iptables-nft-restore
/// --noflush`, the `#6 ` part with `ip6tables-nft-restore --noflush`, then the
/// jump commands listed in the header (each adds its jump only once).
pub fn load_restore(ns: &Netns, output: &str) {
    ns.ok_with(
        "iptables-nft-restore",
        &["--noflush"],
        Some(output.as_bytes()),
    );
    let v6: String = output
        .lines()
        .filter_map(|l| l.strip_prefix("#6 "))
        .map(|l| format!("{l}\n"))
        .collect();
    ns.ok_with("ip6tables-nft-restore", &["--noflush"], Some(v6.as_bytes()));
    for jump in restore_jumps(output) {
        ns.ok("sh", &["-c", &jump]);
    }
}

/// The jump commands of a restore file's header.
pub fn restore_jumps(output: &str) -> Vec<String> {
    output
        .lines()
        .filter_map(|l| l.strip_prefix("#   "))
        .filter(|l| l.starts_with("iptables-nft ") || l.starts_with("ip6tables-nft "))
        .map(str::to_string)
        .collect()
}

/// Runs an `iptables` target script.
pub fn run_script(ns: &Netns, script: &str) {
    ns.ok_with("sh", &["-s"], Some(script.as_bytes()));
}

/// `iptables-nft-save` and `ip6tables-nft-save` without comments and counters.
pub fn saved(ns: &Netns) -> String {
    let mut out = String::new();
    for tool in ["iptables-nft-save", "ip6tables-nft-save"] {
        let s = ns.ok(tool, &[]);
        for l in s.lines().filter(|l| !l.starts_with('#')) {
            out.push_str(l);
            out.push('\n');
        }
        out.push_str("----\n");
    }
    out
}

/// How iptables-save prints a `--comment` argument (quotes and backslashes
/// escaped).
pub fn saved_comment(text: &str) -> String {
    let mut escaped = String::new();
    for c in text.chars() {
        if matches!(c, '\\' | '"' | '\'') {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    format!("--comment \"{escaped}\"")
}
