//! The traffic lab: the classic load-balancer topology built from network
//! namespaces, with member servers and clients running as threads of the test
//! process (no external services).
//!
//! ```text
//!  client ns                      router ns (forwarding)                 member ns × N
//!  198.18.0.10-25  ── veth ──  198.18.0.1 | br0 198.18.1.1 (+.254)  ── veth ── 198.18.1.11, .12, …
//!  2001:db8:1::10-25           2001:db8:1::1 | 2001:db8:2::1                    2001:db8:2::11, …
//! ```
//!
//! Vips live in 198.18.2.0/24 and 2001:db8:3::/64, routed through the router
//! (clients use it as their default route; so do members, so that replies to
//! un-NATed clients come back through it). Only addresses from 198.18.0.0/15
//! and 2001:db8::/32 are used, and traffic never leaves the namespaces.
//!
//! Everything is torn down when the [`Lab`] is dropped — also when a test fails
//! or panics: servers are stopped and joined, namespaces deleted, and the drop
//! checks that none is left.

pub mod client;
pub mod load;
pub mod server;
pub mod stats;

use std::net::IpAddr;
use std::sync::atomic::{AtomicU32, Ordering};

use crate::netns::{run, Netns};
use server::Server;

static LAB_COUNTER: AtomicU32 = AtomicU32::new(0);

/// The router's address on the client network.
pub const ROUTER_CLIENT_V4: &str = "198.18.0.1";
pub const ROUTER_CLIENT_V6: &str = "2001:db8:1::1";
/// The router's addresses on the member network (`.254` is for `snat to`).
pub const ROUTER_MEMBER_V4: &str = "198.18.1.1";
pub const ROUTER_MEMBER_V4_EXTRA: &str = "198.18.1.254";
pub const ROUTER_MEMBER_V6: &str = "2001:db8:2::1";

/// How many client addresses the client namespace has (per family).
pub const CLIENT_ADDRESSES: u8 = 16;

/// The i-th client address (0-based) of a family.
pub fn client_address(v6: bool, i: u8) -> IpAddr {
    let text = if v6 {
        format!("2001:db8:1::{:x}", 0x10 + u32::from(i))
    } else {
        format!("198.18.0.{}", 10 + u32::from(i))
    };
    text.parse().expect("a valid address")
}

/// The i-th member address (0-based): 198.18.1.11, .12, … / 2001:db8:2::11, …
pub fn member_address(v6: bool, i: u8) -> IpAddr {
    let text = if v6 {
        format!("2001:db8:2::{}", 11 + u32::from(i))
    } else {
        format!("198.18.1.{}", 11 + u32::from(i))
    };
    text.parse().expect("a valid address")
}

/// A running topology.
pub struct Lab {
    pub client: Netns,
    pub router: Netns,
    pub members: Vec<Netns>,
    servers: Vec<Server>,
}

impl Lab {
    /// Builds the topology with `members` member hosts (at most 40) and starts a
    /// server on each, listening on `tcp_ports` and `udp_ports`.
    pub fn new(members: u8, tcp_ports: &[u16], udp_ports: &[u16]) -> Lab {
        assert!(members <= 40, "the member network holds 40 hosts");
        let n = LAB_COUNTER.fetch_add(1, Ordering::SeqCst);
        let tag = format!("lab{n}");
        let router = Netns::new(&format!("lbc-{tag}-r"));
        let client = Netns::new(&format!("lbc-{tag}-c"));
        let mut lab = Lab {
            client,
            router,
            members: Vec::new(),
            servers: Vec::new(),
        };
        lab.wire(members, &tag);
        for (i, ns) in lab.members.iter().enumerate() {
            let name = format!("m{}", i + 1);
            lab.servers
                .push(Server::start(ns, &name, tcp_ports, udp_ports));
        }
        lab
    }

    fn wire(&mut self, members: u8, tag: &str) {
        let r = &self.router;
        for (key, value) in [
            ("net.ipv4.ip_forward", "1"),
            ("net.ipv6.conf.all.forwarding", "1"),
        ] {
            r.ok("sysctl", &["-qw", &format!("{key}={value}")]);
        }
        // Client side: one veth pair.
        veth(&self.client, "eth0", r, &format!("{tag}c"));
        r.ok(
            "ip",
            &[
                "addr",
                "add",
                &format!("{ROUTER_CLIENT_V4}/24"),
                "dev",
                &format!("{tag}c"),
            ],
        );
        r.ok(
            "ip",
            &[
                "addr",
                "add",
                &format!("{ROUTER_CLIENT_V6}/64"),
                "dev",
                &format!("{tag}c"),
                "nodad",
            ],
        );
        for i in 0..CLIENT_ADDRESSES {
            let v4 = format!("{}/24", client_address(false, i));
            let v6 = format!("{}/64", client_address(true, i));
            self.client.ok("ip", &["addr", "add", &v4, "dev", "eth0"]);
            self.client
                .ok("ip", &["addr", "add", &v6, "dev", "eth0", "nodad"]);
        }
        self.client
            .ok("ip", &["route", "add", "default", "via", ROUTER_CLIENT_V4]);
        self.client.ok(
            "ip",
            &["-6", "route", "add", "default", "via", ROUTER_CLIENT_V6],
        );
        // Member side: a bridge on the router, one veth per member.
        r.ok("ip", &["link", "add", "br0", "type", "bridge"]);
        r.ok("ip", &["link", "set", "br0", "up"]);
        for address in [
            format!("{ROUTER_MEMBER_V4}/24"),
            format!("{ROUTER_MEMBER_V4_EXTRA}/24"),
        ] {
            r.ok("ip", &["addr", "add", &address, "dev", "br0"]);
        }
        let v6 = format!("{ROUTER_MEMBER_V6}/64");
        r.ok("ip", &["addr", "add", &v6, "dev", "br0", "nodad"]);
        // Vips are routed towards the members, so that the router's own
        // connections to them reach the nat output hook.
        r.ok("ip", &["route", "add", "198.18.2.0/24", "dev", "br0"]);
        r.ok(
            "ip",
            &["-6", "route", "add", "2001:db8:3::/64", "dev", "br0"],
        );
        for i in 0..members {
            let ns = Netns::new(&format!("lbc-{tag}-m{}", i + 1));
            let port = format!("{tag}m{}", i + 1);
            veth(&ns, "eth0", r, &port);
            r.ok("ip", &["link", "set", &port, "master", "br0"]);
            let v4 = format!("{}/24", member_address(false, i));
            let v6 = format!("{}/64", member_address(true, i));
            ns.ok("ip", &["addr", "add", &v4, "dev", "eth0"]);
            ns.ok("ip", &["addr", "add", &v6, "dev", "eth0", "nodad"]);
            ns.ok("ip", &["route", "add", "default", "via", ROUTER_MEMBER_V4]);
            ns.ok(
                "ip",
                &["-6", "route", "add", "default", "via", ROUTER_MEMBER_V6],
            );
            self.members.push(ns);
        }
    }

    /// The namespaces of this lab.
    pub fn namespace_names(&self) -> Vec<String> {
        let mut v = vec![self.client.name.clone(), self.router.name.clone()];
        v.extend(self.members.iter().map(|m| m.name.clone()));
        v
    }
}

/// A veth pair: `inner` inside `ns`, `outer` inside `router`; both up.
fn veth(ns: &Netns, inner: &str, router: &Netns, outer: &str) {
    ns.ok(
        "ip",
        &[
            "link",
            "add",
            inner,
            "type",
            "veth",
            "peer",
            "name",
            outer,
            "netns",
            &router.name,
        ],
    );
    ns.ok("ip", &["link", "set", inner, "up"]);
    router.ok("ip", &["link", "set", outer, "up"]);
}

impl Drop for Lab {
    fn drop(&mut self) {
        for s in self.servers.drain(..) {
            s.stop();
        }
        let mut left = Vec::new();
        for ns in self
            .members
            .iter_mut()
            .chain([&mut self.client, &mut self.router])
        {
            if !ns.delete() {
                left.push(ns.name.clone());
            }
        }
        if !left.is_empty() && !std::thread::panicking() {
            panic!("namespaces left behind: {left:?}");
        }
    }
}

/// Whether any namespace of this process's labs still exists.
pub fn leftover_namespaces() -> Vec<String> {
    let listed = run(
        std::process::Command::new("ip").args(["netns", "list"]),
        None,
    );
    let marker = format!("-{}-", std::process::id());
    String::from_utf8_lossy(&listed.stdout)
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .filter(|n| n.starts_with("lbc-lab") && n.contains(&marker))
        .map(str::to_string)
        .collect()
}
