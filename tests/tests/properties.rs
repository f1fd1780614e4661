//! Property tests over random programs:
//! - every valid program compiles for every built-in target (no panic, output);
//! - `lbc fmt` output re-parses to the same program;
//! - the IR round-trips through its JSON form;
//! - any text at all is parsed and checked without a panic.

use std::fmt::Write as _;

use lbc_compiler::{analyze, lower, LoadedFile, MemoryLoader};
use proptest::prelude::*;

#[derive(Clone, Debug)]
struct Member {
    host: Option<usize>,
    addr: u8,
    port: Option<u16>,
    weight: Option<u8>,
}

#[derive(Clone, Debug)]
struct Vip {
    v6: bool,
    ports: Vec<(u16, Option<u16>)>,
    udp: bool,
    algo: &'static str,
    members: Vec<Member>,
    counter: bool,
    comment: Option<String>,
    sticky: Option<String>,
    snat: Option<&'static str>,
}

#[derive(Clone, Debug)]
struct Program {
    table: Option<String>,
    default_snat: Option<&'static str>,
    hosts: Vec<(bool, u8, Option<u16>)>,
    vips: Vec<Vip>,
    /// How tokens are separated: 0 single spaces, 1 extra spaces, 2 newlines and comments.
    layout: u8,
}

fn member() -> impl Strategy<Value = Member> {
    (
        prop::option::of(0usize..4),
        0u8..10,
        prop::option::of(1u16..65535),
        prop::option::of(0u8..6),
    )
        .prop_map(|(host, addr, port, weight)| Member {
            host,
            addr,
            port,
            weight,
        })
}

fn vip() -> impl Strategy<Value = Vip> {
    (
        any::<bool>(),
        prop::collection::btree_set(1u16..2000, 1..4),
        any::<bool>(),
        any::<bool>(),
        prop::sample::select(vec!["rr", "random", "hash"]),
        prop::collection::vec(member(), 1..5),
        any::<bool>(),
        prop::option::of("[a-zA-Z0-9 ,.:;$()`'#\\\\é✓-]{0,40}"),
        prop::option::of(prop::sample::select(vec!["1s", "90s", "10m", "3h", "30d"])),
        prop::option::of(prop::sample::select(vec!["masquerade", "none", "to"])),
    )
        .prop_map(
            |(v6, ports, range, udp, algo, members, counter, comment, sticky, snat)| {
                // Ports ×10 keep a range (p, p+5) clear of the next port.
                let mut ports: Vec<(u16, Option<u16>)> =
                    ports.into_iter().map(|p| (p * 10, None)).collect();
                if range {
                    if let Some(first) = ports.first_mut() {
                        first.1 = Some(first.0 + 5);
                    }
                }
                Vip {
                    v6,
                    ports,
                    udp,
                    algo,
                    members,
                    counter,
                    comment,
                    sticky: sticky.map(str::to_string),
                    snat,
                }
            },
        )
}

fn program() -> impl Strategy<Value = Program> {
    (
        prop::option::of("[a-z_][a-z0-9_-]{0,10}"),
        prop::option::of(prop::sample::select(vec!["masquerade", "none"])),
        prop::collection::vec((any::<bool>(), 0u8..10, prop::option::of(1u16..65535)), 4),
        prop::collection::vec(vip(), 0..6),
        0u8..3,
    )
        .prop_map(|(table, default_snat, hosts, vips, layout)| Program {
            table,
            default_snat,
            hosts,
            vips,
            layout,
        })
}

fn addr(v6: bool, i: u8) -> String {
    if v6 {
        format!("2001:db8:2::{}", 11 + u32::from(i))
    } else {
        format!("198.18.1.{}", 11 + u32::from(i))
    }
}

impl Program {
    /// The program's text. Members are adjusted to be valid: a member of the
    /// wrong family becomes an address of the right one, a member port on a
    /// vip with several ports is dropped, one member keeps a non-zero weight.
    fn text(&self) -> String {
        let sep = match self.layout {
            0 => " ",
            1 => "   ",
            _ => "\n  # a comment\n  ",
        };
        let mut s = String::from("# generated\n");
        if let Some(t) = &self.table {
            let keywordish = lbc_grammar::is_keyword(t);
            if !keywordish && !lbc_backends::nft::keywords::NFT_RESERVED.contains(&t.as_str()) {
                let _ = writeln!(s, "table {t}");
            }
        }
        if let Some(d) = self.default_snat {
            let _ = writeln!(s, "snat {d}");
        }
        for (i, (v6, a, port)) in self.hosts.iter().enumerate() {
            let text = match (v6, port) {
                (true, Some(p)) => format!("[{}]:{p}", addr(true, *a)),
                (v, Some(p)) => format!("{}:{p}", addr(*v, *a)),
                (v, None) => addr(*v, *a),
            };
            let _ = writeln!(s, "host h{i} = {text}");
        }
        for (i, v) in self.vips.iter().enumerate() {
            let multi = v.ports.len() > 1 || v.ports.iter().any(|p| p.1.is_some());
            let listen = if v.v6 {
                format!("[2001:db8:3::{:x}]", i + 1)
            } else {
                format!("198.19.0.{}", i + 1)
            };
            let ports: Vec<String> = v
                .ports
                .iter()
                .map(|(a, b)| match b {
                    Some(b) => format!("{a}-{b}"),
                    None => a.to_string(),
                })
                .collect();
            let mut members = Vec::new();
            for (k, m) in v.members.iter().enumerate() {
                let host_ok = m.host.filter(|h| {
                    self.hosts[*h].0 == v.v6
                        && !(multi && self.hosts[*h].2.is_some() && m.port.is_some())
                });
                let port = if multi { None } else { m.port };
                let target = match (host_ok, port) {
                    (Some(h), Some(p)) => format!("h{h}:{p}"),
                    (Some(h), None) => format!("h{h}"),
                    (None, Some(p)) if v.v6 => format!("[{}]:{p}", addr(true, m.addr)),
                    (None, Some(p)) => format!("{}:{p}", addr(false, m.addr)),
                    (None, None) => addr(v.v6, m.addr),
                };
                let weight = if k == 0 {
                    m.weight.map(|w| w.max(1))
                } else {
                    m.weight
                };
                members.push(match weight {
                    Some(w) => format!("{target} weight {w}"),
                    None => target,
                });
            }
            let mut line = format!(
                "vip{sep}{listen}:{}{}{sep}->{sep}{}{sep}[{}]",
                ports.join(","),
                if v.udp { "/udp" } else { "" },
                v.algo,
                members.join(&format!(",{sep}"))
            );
            if v.counter {
                line.push_str(&format!("{sep}counter"));
            }
            if let Some(c) = &v.comment {
                line.push_str(&format!("{sep}comment \"{}\"", c.replace('\\', "\\\\")));
            }
            if let Some(d) = &v.sticky {
                line.push_str(&format!("{sep}sticky {d}"));
            }
            match v.snat {
                Some("to") if v.v6 => line.push_str(&format!("{sep}snat to 2001:db8:2::1")),
                Some("to") => line.push_str(&format!("{sep}snat to 198.18.1.1")),
                Some(mode) => line.push_str(&format!("{sep}snat {mode}")),
                None => {}
            }
            s.push_str(&line);
            s.push('\n');
        }
        s
    }
}

fn ir_of(text: &str) -> Result<lbc_ir::Program, String> {
    let a = analyze(
        LoadedFile::new("p", "p", text),
        &mut MemoryLoader::default(),
    );
    match a.checked {
        Some(c) => Ok(lower(&c, &a.sources)),
        None => Err(lbc_cli::render::short(&a.sources, &a.diagnostics, "p")),
    }
}

/// The IR without source positions.
fn without_origins(mut p: lbc_ir::Program) -> lbc_ir::Program {
    for v in &mut p.vips {
        v.origin.line = 0;
        v.origin.column = 0;
        for m in &mut v.members {
            m.origin.line = 0;
            m.origin.column = 0;
        }
    }
    p
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn valid_programs_compile_for_every_target(p in program()) {
        let text = p.text();
        let ir = ir_of(&text).map_err(|e| TestCaseError::fail(format!("{text}\n{e}")))?;
        for backend in lbc_backends::builtin() {
            match lbc_backends::emit(*backend, &ir) {
                Ok(out) => prop_assert!(!out.is_empty()),
                // A comment with `"` is the one thing the nft targets refuse.
                Err(r) => prop_assert!(
                    backend.name().starts_with("nft") && r.violations.iter().all(|v| v.feature == lbc_ir::capability::Feature::Comment),
                    "{} refused {:?}\n{}", backend.name(), r, text
                ),
            }
        }
    }

    #[test]
    fn fmt_output_reparses_to_the_same_program(p in program()) {
        let text = p.text();
        let parsed = lbc_grammar::parse(&text);
        prop_assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
        let formatted = lbc_grammar::fmt::format(&parsed.file, &text);
        let again = lbc_grammar::fmt::format(&lbc_grammar::parse(&formatted).file, &formatted);
        prop_assert_eq!(&formatted, &again, "fmt is idempotent");
        let before = ir_of(&text).map_err(TestCaseError::fail)?;
        let after = ir_of(&formatted).map_err(|e| TestCaseError::fail(format!("{formatted}\n{e}")))?;
        prop_assert_eq!(without_origins(before), without_origins(after));
    }

    #[test]
    fn the_ir_round_trips_through_json(p in program()) {
        let ir = ir_of(&p.text()).map_err(TestCaseError::fail)?;
        let back: lbc_ir::Program = serde_json::from_str(&ir.to_json()).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(ir, back);
    }

    #[test]
    fn any_text_is_parsed_and_checked_without_a_panic(
        text in prop::collection::vec(
            prop::sample::select(vec![
                "vip ", "host ", "pool ", "table ", "snat ", "include ", "->", "rr ", "random ", "hash ",
                "[", "]", ",", ":", "/udp", "/tcp", "-", "=", " weight ", " counter", " comment ", " sticky ",
                "\"", "\\", "#", "\n", " ", "198.18.1.1", "[2001:db8::1]", "2001:db8::1", "80", "65536",
                "0", "3h", "x", "é", "\u{202e}", "masquerade", "none", "to ", "lbc", "a-b", "999999999999999999999",
            ]),
            0..60,
        )
    ) {
        let text: String = text.concat();
        let a = analyze(LoadedFile::new("p", "p", text.clone()), &mut MemoryLoader::default());
        let _ = lbc_cli::render::human_string(&a.sources, &a.diagnostics);
        let _ = lbc_cli::render::json(&a.sources, &a.diagnostics, "p");
        if let Some(c) = a.checked {
            let ir = lower(&c, &a.sources);
            for backend in lbc_backends::builtin() {
                let _ = lbc_backends::emit(*backend, &ir);
            }
        }
        let parsed = lbc_grammar::parse(&text);
        if parsed.errors.is_empty() {
            let _ = lbc_grammar::fmt::format(&parsed.file, &text);
        }
    }
}
