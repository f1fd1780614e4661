//! Real traffic through a real kernel: every built-in target's output is loaded
//! into the lab's router and real TCP and UDP connections go through it. Every
//! connection must succeed; where it goes, which source address the member sees
//! and on which port, is checked against the spec.

use std::collections::BTreeMap;
use std::net::{IpAddr, SocketAddr};

use lbc_tests::lab::client::{repeat, run_requests, Reply, Request};
use lbc_tests::lab::load::{counted_packets, load_target, KERNEL_TARGETS};
use lbc_tests::lab::{
    client_address, stats, Lab, ROUTER_MEMBER_V4, ROUTER_MEMBER_V4_EXTRA, ROUTER_MEMBER_V6,
};
use lbc_tests::netns::Netns;
use lbc_tests::temp::TempDir;
use lbc_tests::{compile_ok, kernel, root};

const TCP_PORTS: &[u16] = &[80, 443, 6443, 8080, 8081, 8443, 30000, 31000, 32767];
const UDP_PORTS: &[u16] = &[53, 5000, 5003, 7000, 7005, 7100];

/// A lab with `fixture` (from tests/fixtures/lang) compiled for `target` and
/// loaded into the router.
fn lab_with(fixture: &str, target: &str) -> Lab {
    let output = compile_ok(&root().join("tests/fixtures/lang").join(fixture), target);
    lab_with_output(target, &output)
}

fn lab_with_output(target: &str, output: &str) -> Lab {
    let lab = Lab::new(5, TCP_PORTS, UDP_PORTS);
    load_target(&lab.router, target, output);
    lab
}

fn addr(s: &str) -> SocketAddr {
    s.parse().unwrap_or_else(|e| panic!("{s}: {e}"))
}

fn client(i: u8, v6: bool) -> Option<IpAddr> {
    Some(client_address(v6, i))
}

/// Runs requests from `ns`; every one must succeed.
fn send(ns: &Netns, requests: &[Request], what: &str) -> Vec<Reply> {
    run_requests(ns, requests)
        .into_iter()
        .enumerate()
        .map(|(i, r)| r.unwrap_or_else(|e| panic!("{what}: request {i} failed: {e}")))
        .collect()
}

fn counts(replies: &[Reply]) -> BTreeMap<String, u64> {
    let mut c = BTreeMap::new();
    for r in replies {
        *c.entry(r.member.clone()).or_insert(0) += 1;
    }
    c
}

/// Exactly `expected` connections per member.
fn check_counts(replies: &[Reply], expected: &[(&str, u64)]) -> Result<(), String> {
    let got = counts(replies);
    let want: BTreeMap<String, u64> = expected
        .iter()
        .filter(|(_, n)| *n > 0)
        .map(|(m, n)| (m.to_string(), *n))
        .collect();
    if got == want {
        Ok(())
    } else {
        Err(format!("expected {want:?}, got {got:?}"))
    }
}

fn each_target(test: impl Fn(&str)) {
    if !kernel::required() {
        return;
    }
    for target in KERNEL_TARGETS {
        test(target);
    }
}

#[test]
fn rr_is_exact_per_vip_with_weights_and_drained_members() {
    each_target(|t| {
        let lab = lab_with("rr.lbdsl", t);
        let r = send(
            &lab.client,
            &repeat(client(0, false), addr("198.18.2.1:80"), false, 10),
            t,
        );
        check_counts(&r, &[("m1", 5), ("m2", 5)]).unwrap_or_else(|e| panic!("{t}: rr: {e}"));
        drop(lab);

        // Weights 4:2:0 are 2:1:0: m1 gets 2 of every 3, m3 (drained) nothing.
        let lab = lab_with("weights.lbdsl", t);
        let r = send(
            &lab.client,
            &repeat(client(0, false), addr("198.18.2.6:80"), false, 9),
            t,
        );
        check_counts(&r, &[("m1", 6), ("m2", 3), ("m3", 0)])
            .unwrap_or_else(|e| panic!("{t}: weighted rr: {e}"));
        // Any 3 consecutive connections hold exactly one for m2.
        let r2 = send(
            &lab.client,
            &repeat(client(1, false), addr("198.18.2.6:80"), false, 3),
            t,
        );
        check_counts(&r2, &[("m1", 2), ("m2", 1)]).unwrap_or_else(|e| panic!("{t}: rr cycle: {e}"));
    });
}

#[test]
fn a_broken_modulus_fails_the_rr_check() {
    if !kernel::required() {
        return;
    }
    // The same check as above, on outputs broken on purpose: it must fail.
    for (target, from, to) in [
        ("nft", "numgen inc mod 2 < 1", "numgen inc mod 3 < 1"),
        ("iptables", "--every 2", "--every 3"),
    ] {
        let good = compile_ok(&root().join("tests/fixtures/lang/rr.lbdsl"), target);
        let broken = good.replace(from, to);
        assert_ne!(good, broken, "{target}: the mutation applies");
        let lab = lab_with_output(target, &broken);
        let r = send(
            &lab.client,
            &repeat(client(0, false), addr("198.18.2.1:80"), false, 12),
            target,
        );
        assert!(
            check_counts(&r, &[("m1", 6), ("m2", 6)]).is_err(),
            "{target}: a wrong modulus must break exact round robin"
        );
    }
}

#[test]
fn random_spreads_by_weight() {
    each_target(|t| {
        let lab = lab_with("random.lbdsl", t);
        let r = send(
            &lab.client,
            &repeat(client(0, false), addr("198.18.2.4:80"), false, 600),
            t,
        );
        let c = counts(&r);
        let observed: Vec<u64> = ["m1", "m2", "m3"]
            .iter()
            .map(|m| c.get(*m).copied().unwrap_or(0))
            .collect();
        assert!(
            observed.iter().all(|n| *n > 0),
            "{t}: every member is used: {observed:?}"
        );
        stats::consistent(&observed, &[3, 2, 1]).unwrap_or_else(|e| panic!("{t}: {e}"));
    });
}

#[test]
fn hash_keeps_each_client_on_one_member() {
    each_target(|t| {
        let lab = lab_with("hash.lbdsl", t);
        let mut used = BTreeMap::new();
        for i in 0..16 {
            let r = send(
                &lab.client,
                &repeat(client(i, false), addr("198.18.2.5:80"), false, 3),
                t,
            );
            let members: std::collections::BTreeSet<&str> =
                r.iter().map(|x| x.member.as_str()).collect();
            assert_eq!(members.len(), 1, "{t}: client {i} reached {members:?}");
            *used.entry(r[0].member.clone()).or_insert(0) += 1;
        }
        assert!(
            used.len() >= 2,
            "{t}: several clients use several members: {used:?}"
        );
        assert!(
            !used.contains_key("m3"),
            "{t}: only the vip's members: {used:?}"
        );
    });
}

#[test]
fn sticky_keeps_a_client_on_its_member() {
    each_target(|t| {
        let lab = lab_with("sticky.lbdsl", t);
        // rr with affinity: client 0 stays; client 1 gets the next member.
        let a = send(
            &lab.client,
            &repeat(client(0, false), addr("198.18.2.7:80"), false, 6),
            t,
        );
        let first = a[0].member.clone();
        assert!(
            a.iter().all(|r| r.member == first),
            "{t}: client 0 moved: {a:?}"
        );
        let b = send(
            &lab.client,
            &repeat(client(1, false), addr("198.18.2.7:80"), false, 4),
            t,
        );
        assert!(
            b.iter().all(|r| r.member == b[0].member),
            "{t}: client 1 moved: {b:?}"
        );
        assert_ne!(
            b[0].member, first,
            "{t}: a different client can get another member"
        );
        // random with affinity.
        let c = send(
            &lab.client,
            &repeat(client(2, false), addr("198.18.2.8:80"), false, 8),
            t,
        );
        assert!(
            c.iter().all(|r| r.member == c[0].member),
            "{t}: random sticky moved: {c:?}"
        );
    });
}

#[test]
fn sticky_holds_across_the_ports_of_a_vip_and_for_ipv6() {
    each_target(|t| {
        let dir = TempDir::new("sticky-ports");
        let file = dir.file(
            "p.lbdsl",
            "vip 198.18.2.50:80,8080 -> rr [198.18.1.11, 198.18.1.12] sticky 1m\n\
             vip [2001:db8:3::50]:80 -> rr [2001:db8:2::11, 2001:db8:2::12] sticky 1m\n",
        );
        let lab = lab_with_output(t, &compile_ok(&file, t));
        let mut reqs = repeat(client(0, false), addr("198.18.2.50:80"), false, 2);
        reqs.extend(repeat(client(0, false), addr("198.18.2.50:8080"), false, 2));
        let r = send(&lab.client, &reqs, t);
        assert!(r.iter().all(|x| x.member == r[0].member), "{t}: {r:?}");
        let v6 = send(
            &lab.client,
            &repeat(client(0, true), addr("[2001:db8:3::50]:80"), false, 4),
            t,
        );
        assert!(v6.iter().all(|x| x.member == v6[0].member), "{t}: {v6:?}");
    });
}

#[test]
fn snat_modes_show_the_right_source_to_members() {
    each_target(|t| {
        let lab = lab_with("snat_none.lbdsl", t);
        let c = client_address(false, 3);
        let none = send(
            &lab.client,
            &repeat(Some(c), addr("198.18.2.19:80"), false, 2),
            t,
        );
        assert!(
            none.iter().all(|r| r.seen_source == c),
            "{t}: snat none keeps the client: {none:?}"
        );
        let masq = send(
            &lab.client,
            &repeat(Some(c), addr("198.18.2.20:80"), false, 2),
            t,
        );
        let router: IpAddr = ROUTER_MEMBER_V4.parse().expect("address");
        assert!(
            masq.iter().all(|r| r.seen_source == router),
            "{t}: masquerade: {masq:?}"
        );
        drop(lab);

        let lab = lab_with("snat_to.lbdsl", t);
        let default = send(
            &lab.client,
            &repeat(client(0, false), addr("198.18.2.17:80"), false, 1),
            t,
        );
        assert_eq!(default[0].seen_source, router, "{t}: snat to (default)");
        let own = send(
            &lab.client,
            &repeat(client(0, false), addr("198.18.2.18:80"), false, 1),
            t,
        );
        let extra: IpAddr = ROUTER_MEMBER_V4_EXTRA.parse().expect("address");
        assert_eq!(own[0].seen_source, extra, "{t}: snat to (per vip)");
        let v6 = send(
            &lab.client,
            &repeat(client(0, true), addr("[2001:db8:3::4]:80"), false, 1),
            t,
        );
        let router6: IpAddr = ROUTER_MEMBER_V6.parse().expect("address");
        assert_eq!(v6[0].seen_source, router6, "{t}: snat to (IPv6)");
        drop(lab);

        let lab = lab_with("snat_masquerade.lbdsl", t);
        let m = send(
            &lab.client,
            &repeat(client(0, false), addr("198.18.2.16:80"), false, 2),
            t,
        );
        assert!(
            m.iter().all(|r| r.seen_source == router),
            "{t}: masquerade: {m:?}"
        );
    });
}

#[test]
fn masquerade_applies_only_to_balanced_connections() {
    each_target(|t| {
        let lab = lab_with("snat_masquerade.lbdsl", t);
        // A connection straight to a member (not to a vip) is forwarded untouched.
        let c = client_address(false, 2);
        let direct = send(
            &lab.client,
            &repeat(Some(c), addr("198.18.1.12:80"), false, 2),
            t,
        );
        assert!(
            direct
                .iter()
                .all(|r| r.seen_source == c && r.member == "m2"),
            "{t}: {direct:?}"
        );
    });
}

#[test]
fn udp_vips_balance_datagrams() {
    each_target(|t| {
        let lab = lab_with("udp.lbdsl", t);
        let r = send(
            &lab.client,
            &repeat(client(0, false), addr("198.18.2.9:53"), true, 8),
            t,
        );
        check_counts(&r, &[("m1", 4), ("m2", 4)]).unwrap_or_else(|e| panic!("{t}: udp rr: {e}"));
        assert!(r.iter().all(|x| x.port == 53));
    });
}

#[test]
fn port_lists_and_ranges_keep_the_connected_port() {
    each_target(|t| {
        let lab = lab_with("port_list.lbdsl", t);
        for port in [80u16, 8080, 8443] {
            let r = send(
                &lab.client,
                &repeat(
                    client(0, false),
                    addr(&format!("198.18.2.10:{port}")),
                    false,
                    2,
                ),
                t,
            );
            assert!(r.iter().all(|x| x.port == port), "{t}: {r:?}");
        }
        drop(lab);
        let lab = lab_with("port_range.lbdsl", t);
        for port in [30000u16, 31000, 32767] {
            let r = send(
                &lab.client,
                &repeat(
                    client(0, false),
                    addr(&format!("198.18.2.11:{port}")),
                    false,
                    2,
                ),
                t,
            );
            assert!(r.iter().all(|x| x.port == port), "{t}: {r:?}");
            check_counts(&r, &[("m1", 1), ("m2", 1)]).unwrap_or_else(|e| panic!("{t}: {e}"));
        }
        for port in [7000u16, 7005, 7100] {
            let r = send(
                &lab.client,
                &repeat(
                    client(0, false),
                    addr(&format!("198.18.2.12:{port}")),
                    true,
                    2,
                ),
                t,
            );
            assert!(r.iter().all(|x| x.port == port), "{t}: udp {r:?}");
        }
    });
}

#[test]
fn member_ports_rewrite_the_destination_port() {
    each_target(|t| {
        let lab = lab_with("port_rewrite.lbdsl", t);
        let r = send(
            &lab.client,
            &repeat(client(0, false), addr("198.18.2.13:443"), false, 2),
            t,
        );
        assert!(
            r.iter().all(|x| x.port == 6443),
            "{t}: host default port: {r:?}"
        );
        let r = send(
            &lab.client,
            &repeat(client(0, false), addr("198.18.2.14:80"), false, 3),
            t,
        );
        let mut seen: Vec<(String, u16)> = r.iter().map(|x| (x.member.clone(), x.port)).collect();
        seen.sort();
        assert_eq!(
            seen,
            vec![
                ("m1".to_string(), 8080),
                ("m2".to_string(), 8081),
                ("m3".to_string(), 80)
            ],
            "{t}"
        );
    });
}

#[test]
fn ipv6_vips_balance_and_rewrite_ports() {
    each_target(|t| {
        let lab = lab_with("ipv6.lbdsl", t);
        let r = send(
            &lab.client,
            &repeat(client(0, true), addr("[2001:db8:3::1]:443"), false, 4),
            t,
        );
        check_counts(&r, &[("m1", 2), ("m2", 2)]).unwrap_or_else(|e| panic!("{t}: {e}"));
        assert!(r.iter().all(|x| x.port == 8443), "{t}: {r:?}");
        for i in 0..4 {
            let h = send(
                &lab.client,
                &repeat(client(i, true), addr("[2001:db8:3::2]:80"), false, 3),
                t,
            );
            assert!(
                h.iter().all(|x| x.member == h[0].member),
                "{t}: v6 hash: {h:?}"
            );
        }
    });
}

#[test]
fn connections_from_the_router_itself_are_balanced() {
    each_target(|t| {
        let lab = lab_with("dual_stack.lbdsl", t);
        let r = send(
            &lab.router,
            &repeat(None, addr("198.18.2.15:53"), true, 20),
            t,
        );
        assert!(
            r.iter().any(|x| x.member == "m1") && r.iter().any(|x| x.member == "m2"),
            "{t}: {r:?}"
        );
        let v4 = send(
            &lab.router,
            &repeat(None, addr("198.18.2.15:80"), false, 2),
            t,
        );
        assert!(
            v4.iter().all(|x| x.member == v4[0].member),
            "{t}: local sticky: {v4:?}"
        );
        let v6 = send(
            &lab.router,
            &repeat(None, addr("[2001:db8:3::3]:80"), false, 2),
            t,
        );
        assert!(
            v6.iter().all(|x| x.member == v6[0].member),
            "{t}: local sticky v6: {v6:?}"
        );
    });
}

#[test]
fn counters_count_the_packets_sent() {
    each_target(|t| {
        let lab = lab_with("counter.lbdsl", t);
        // Each UDP request is a new connection of exactly one client packet.
        send(
            &lab.client,
            &repeat(client(0, false), addr("198.18.2.22:5000"), true, 7),
            t,
        );
        send(
            &lab.client,
            &repeat(client(0, false), addr("198.18.2.22:5003"), true, 5),
            t,
        );
        assert_eq!(
            counted_packets(&lab.router, t, "lbc", 2, "198.18.2.22"),
            12,
            "{t}"
        );
        // The other vip saw nothing.
        assert_eq!(
            counted_packets(&lab.router, t, "lbc", 1, "198.18.2.21"),
            0,
            "{t}"
        );
    });
}

#[test]
fn reloading_a_changed_program_moves_new_connections_only_where_it_changed() {
    each_target(|t| {
        let dir = TempDir::new("reload");
        // The same file before and after an edit, so `file:line` comments match.
        let a = dir.file(
            "lb.lbdsl",
            "vip 198.18.2.40:80 -> rr [198.18.1.11, 198.18.1.12]\nvip 198.18.2.41:80 -> rr [198.18.1.13]\n",
        );
        let first = compile_ok(&a, t);
        let b = dir.file(
            "lb.lbdsl",
            "vip 198.18.2.40:80 -> rr [198.18.1.14]\nvip 198.18.2.41:80 -> rr [198.18.1.13]\n",
        );
        let lab = lab_with_output(t, &first);
        let before = send(
            &lab.client,
            &repeat(client(0, false), addr("198.18.2.40:80"), false, 4),
            t,
        );
        check_counts(&before, &[("m1", 2), ("m2", 2)]).unwrap_or_else(|e| panic!("{t}: {e}"));
        let other_before = vip_rules(&lab.router, t, "198.18.2.41", 2);
        load_target(&lab.router, t, &compile_ok(&b, t));
        let after = send(
            &lab.client,
            &repeat(client(0, false), addr("198.18.2.40:80"), false, 4),
            t,
        );
        check_counts(&after, &[("m4", 4)]).unwrap_or_else(|e| panic!("{t}: after reload: {e}"));
        let other = send(
            &lab.client,
            &repeat(client(0, false), addr("198.18.2.41:80"), false, 2),
            t,
        );
        check_counts(&other, &[("m3", 2)]).unwrap_or_else(|e| panic!("{t}: other vip: {e}"));
        assert_eq!(
            other_before,
            vip_rules(&lab.router, t, "198.18.2.41", 2),
            "{t}: the other vip's rules changed"
        );
    });
}

/// The rules of one vip, as the kernel lists them.
fn vip_rules(ns: &Netns, target: &str, vip: &str, id: u32) -> String {
    if target.starts_with("nft") {
        ns.ok(
            "nft",
            &["-s", "list", "chain", "inet", "lbc", &format!("vip_{id}")],
        )
    } else {
        ns.ok("iptables-nft-save", &["-t", "nat"])
            .lines()
            .filter(|l| l.contains(vip))
            .collect::<Vec<_>>()
            .join("\n")
    }
}

#[test]
fn a_lab_is_torn_down_even_when_a_test_panics() {
    if !kernel::required() {
        return;
    }
    let names = std::sync::Mutex::new(Vec::new());
    let result = std::panic::catch_unwind(|| {
        let lab = Lab::new(2, &[80], &[53]);
        names.lock().expect("lock").extend(lab.namespace_names());
        panic!("a failing test");
    });
    assert!(result.is_err());
    let names = names.into_inner().expect("lock");
    assert_eq!(names.len(), 4);
    for n in names {
        assert!(
            !std::path::Path::new("/run/netns").join(&n).exists(),
            "{n} was left behind"
        );
    }
}

/// The lab member name of a member address, when it is one of the lab's.
fn lab_member(addr: &IpAddr) -> Option<String> {
    let last = match addr {
        IpAddr::V4(a) if a.octets()[..3] == [198, 18, 1] => u32::from(a.octets()[3]),
        // `2001:db8:2::11` is written with the decimal digits of `.11`.
        IpAddr::V6(a) if a.segments()[..7] == [0x2001, 0xdb8, 2, 0, 0, 0, 0] => {
            format!("{:x}", a.segments()[7]).parse().ok()?
        }
        _ => return None,
    };
    (11..51).contains(&last).then(|| format!("m{}", last - 10))
}

#[test]
fn every_vip_of_every_fixture_and_example_answers() {
    if !kernel::required() {
        return;
    }
    lbc_tests::check_every_program(|path| {
        let ir: lbc_ir::Program = lbc_ir::Program::from_json(&compile_ok(path, "ir")).expect("IR");
        // The vips whose members all live in the lab, with the ports to listen on.
        let mut tcp = std::collections::BTreeSet::new();
        let mut udp = std::collections::BTreeSet::new();
        let mut probes = Vec::new();
        for vip in &ir.vips {
            let members: Option<Vec<(String, u16)>> = vip
                .members
                .iter()
                .filter(|m| m.weight > 0)
                .map(|m| lab_member(&m.address).map(|n| (n, m.port.unwrap_or(vip.ports[0].first))))
                .collect();
            let Some(members) = members else { continue };
            let ports = if vip.protocol == lbc_ir::Protocol::Udp {
                &mut udp
            } else {
                &mut tcp
            };
            ports.insert(vip.ports[0].first);
            ports.extend(members.iter().map(|m| m.1));
            probes.push((vip, members));
        }
        if probes.is_empty() {
            return;
        }
        let tcp: Vec<u16> = tcp.into_iter().collect();
        let udp: Vec<u16> = udp.into_iter().collect();
        // As many member hosts as the highest member the program uses.
        let hosts = probes
            .iter()
            .flat_map(|(_, ms)| ms.iter().filter_map(|(m, _)| m[1..].parse::<u8>().ok()))
            .max()
            .unwrap_or(1);
        let lab = Lab::new(hosts, &tcp, &udp);
        for t in KERNEL_TARGETS {
            // The router is the test's own: start each target from nothing.
            lab.router.ok("nft", &["flush", "ruleset"]);
            load_target(&lab.router, t, &compile_ok(path, t));
            for (vip, members) in &probes {
                let v6 = matches!(vip.address, IpAddr::V6(_));
                let target = SocketAddr::new(vip.address, vip.ports[0].first);
                let udp = vip.protocol == lbc_ir::Protocol::Udp;
                let r = send(&lab.client, &repeat(client(0, v6), target, udp, 2), t);
                for reply in r {
                    assert!(
                        members
                            .iter()
                            .any(|(m, port)| *m == reply.member && *port == reply.port),
                        "{t}: {target} answered by {reply:?}, not one of {members:?}"
                    );
                }
            }
        }
    });
}
