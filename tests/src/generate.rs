//! Generated programs for benchmarks: N vips with 3 members each and a
//! deterministic mix of algorithms and options, like a large cluster's
//! services. `cargo run -p lbc-tests --bin lbc-gen -- N` prints one.
//!
//! Vips get addresses from 198.19.0.0/16 (IPv4) and 2001:db8:3::/64 (IPv6);
//! members are the traffic lab's member hosts (198.18.1.11-15 and
//! 2001:db8:2::11-15), so a generated program also carries real traffic.

use std::fmt::Write as _;

/// The shape of a generated program.
#[derive(Clone, Copy, Debug)]
pub struct Mix {
    /// Use sticky, port lists, ranges, udp, IPv6 and the snat modes on a share
    /// of the vips; `false` gives plain `rr` TCP vips only (the recipe's shape).
    pub options: bool,
}

/// The vip address of vip `i` (0-based) and whether it is IPv6.
pub fn vip_address(i: usize, mix: Mix) -> (String, bool) {
    if mix.options && i % 10 == 9 {
        (
            format!("2001:db8:3::{:x}:{:x}", 1 + (i >> 16), i & 0xffff),
            true,
        )
    } else {
        (format!("198.19.{}.{}", (i / 256) % 256, i % 256), false)
    }
}

/// The first port of vip `i`.
pub fn vip_port(i: usize) -> u16 {
    // 65,536 addresses per port; 100 ports cover 6.5 million vips.
    80 + (i / 65536) as u16 * 100
}

/// A program with `n` vips.
pub fn program(n: usize, mix: Mix) -> String {
    let mut out = String::with_capacity(n * 110);
    let _ = writeln!(out, "# {n} generated vips with 3 members each");
    for i in 0..n {
        let (addr, v6) = vip_address(i, mix);
        let port = vip_port(i);
        let member = |k: usize| -> String {
            let host = 11 + (i + k) % 5;
            if v6 {
                format!("2001:db8:2::{host}")
            } else {
                format!("198.18.1.{host}")
            }
        };
        let listen = if v6 { format!("[{addr}]") } else { addr };
        let (ports, proto) = if !mix.options {
            (port.to_string(), "")
        } else {
            match i % 50 {
                7 => (format!("{port},{}", port + 1), ""),
                13 => (format!("{}-{}", port + 10, port + 19), ""),
                x if x % 5 == 1 => (port.to_string(), "/udp"),
                _ => (port.to_string(), ""),
            }
        };
        let algo = if mix.options {
            ["rr", "random", "hash"][i % 3]
        } else {
            "rr"
        };
        let weights = mix.options && i % 4 == 2;
        let members: Vec<String> = (0..3)
            .map(|k| {
                if weights {
                    format!("{} weight {}", member(k), k + 1)
                } else {
                    member(k)
                }
            })
            .collect();
        let _ = write!(
            out,
            "vip {listen}:{ports}{proto} -> {algo} [{}]",
            members.join(", ")
        );
        if mix.options {
            if i % 20 == 3 && algo != "hash" {
                out.push_str(" sticky 10m");
            }
            if i % 5 == 0 {
                out.push_str(" counter");
            }
            if i % 10 == 4 {
                let _ = write!(out, " comment \"service {i}\"");
            }
            if i % 10 == 6 {
                out.push_str(" snat none");
            }
        }
        out.push('\n');
    }
    out
}

/// The classic recipe's layout for the same vips as `program(n, plain)`: one
/// rule per vip with an anonymous `numgen` map, and a masquerade (the layout
/// lbc replaces; used to compare load times).
pub fn recipe(n: usize) -> String {
    let mut out = String::with_capacity(n * 130);
    out.push_str("table ip recipe\ndelete table ip recipe\ntable ip recipe {\n");
    out.push_str(
        "\tchain prerouting {\n\t\ttype nat hook prerouting priority dstnat; policy accept;\n",
    );
    for i in 0..n {
        let (addr, _) = vip_address(i, Mix { options: false });
        let m = |k: usize| format!("198.18.1.{}", 11 + (i + k) % 5);
        let _ = writeln!(
            out,
            "\t\tip daddr {addr} tcp dport {} dnat to numgen inc mod 3 map {{ 0 : {}, 1 : {}, 2 : {} }}",
            vip_port(i),
            m(0),
            m(1),
            m(2)
        );
    }
    out.push_str("\t}\n\tchain postrouting {\n\t\ttype nat hook postrouting priority srcnat; policy accept;\n\t\tmasquerade\n\t}\n}\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_programs_check_clean() {
        for mix in [Mix { options: true }, Mix { options: false }] {
            let src = program(2000, mix);
            let root = lbc_compiler::LoadedFile::new("gen", "gen", src);
            let a = lbc_compiler::analyze(root, &mut lbc_compiler::MemoryLoader::default());
            let errors: Vec<_> = a.diagnostics.iter().filter(|d| d.is_error()).collect();
            assert!(errors.is_empty(), "{errors:?}");
            assert_eq!(a.checked.expect("checked").model().vips.len(), 2000);
        }
    }
}
