//! Loading a target's output into the lab's router, as a user would.

use crate::iptables::{load_restore, run_script};
use crate::netns::Netns;

/// The built-in targets whose outputs load into a kernel.
pub const KERNEL_TARGETS: [&str; 4] = ["nft", "nft-json", "iptables", "iptables-restore"];

/// Loads `output` of `target` into `ns`.
pub fn load_target(ns: &Netns, target: &str, output: &str) {
    match target {
        "nft" => {
            ns.ok_with("nft", &["-f", "-"], Some(output.as_bytes()));
        }
        "nft-json" => {
            ns.ok_with("nft", &["-j", "-f", "-"], Some(output.as_bytes()));
        }
        "iptables" => run_script(ns, output),
        "iptables-restore" => load_restore(ns, output),
        other => panic!("{other} does not load into a kernel"),
    }
}

/// The packets counted for vip `id` (whose first port is `port`), as the
/// target's counters show them: the named counter `vip_ID` for nft, the sum of
/// the vip's rules in `TABLE.COUNT` for iptables.
pub fn counted_packets(ns: &Netns, target: &str, table: &str, id: u32, vip: &str) -> u64 {
    if target.starts_with("nft") {
        let out = ns.ok(
            "nft",
            &["list", "counter", "inet", table, &format!("vip_{id}")],
        );
        return out
            .split_whitespace()
            .skip_while(|w| *w != "packets")
            .nth(1)
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("no packet count in {out}"));
    }
    let tool = if vip.contains(':') {
        "ip6tables-nft"
    } else {
        "iptables-nft"
    };
    let out = ns.ok(
        tool,
        &[
            "-t",
            "mangle",
            "-L",
            &format!("{table}.COUNT"),
            "-v",
            "-x",
            "-n",
        ],
    );
    out.lines()
        .filter(|l| l.contains(vip))
        .filter_map(|l| l.split_whitespace().next()?.parse::<u64>().ok())
        .sum()
}
