//! Clients: connections from the client namespace (or the router itself),
//! each from a chosen source address, with time limits.

use std::io::Read;
use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

use socket2::{Domain, Protocol, Socket, Type};

use super::server::enter;
use crate::netns::Netns;

const TIMEOUT: Duration = Duration::from_secs(3);

/// What a member answered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reply {
    /// The member server's name (`m1`, `m2`, …).
    pub member: String,
    /// The source address the member saw.
    pub seen_source: IpAddr,
    /// The port the member was reached on.
    pub port: u16,
}

/// One connection (TCP) or one request (UDP).
#[derive(Clone, Copy, Debug)]
pub struct Request {
    pub source: Option<IpAddr>,
    pub target: SocketAddr,
    pub udp: bool,
}

/// Runs `requests` one after another from namespace `ns`; a failed request is
/// an `Err` with the reason (refused, reset, timed out).
pub fn run_requests(ns: &Netns, requests: &[Request]) -> Vec<Result<Reply, String>> {
    let name = ns.name.clone();
    let requests = requests.to_vec();
    std::thread::spawn(move || {
        enter(&name);
        requests.iter().map(one).collect()
    })
    .join()
    .unwrap_or_else(|_| vec![Err("the client thread panicked".to_string())])
}

/// Like [`run_requests`], with the time each request took (from creating the
/// socket to reading the whole answer).
pub fn timed_requests(ns: &Netns, requests: &[Request]) -> Vec<Result<(Reply, Duration), String>> {
    let name = ns.name.clone();
    let requests = requests.to_vec();
    std::thread::spawn(move || {
        enter(&name);
        requests
            .iter()
            .map(|r| {
                let start = std::time::Instant::now();
                one(r).map(|reply| (reply, start.elapsed()))
            })
            .collect()
    })
    .join()
    .unwrap_or_else(|_| vec![Err("the client thread panicked".to_string())])
}

/// `count` sequential requests to `target` from `source`.
pub fn repeat(source: Option<IpAddr>, target: SocketAddr, udp: bool, count: usize) -> Vec<Request> {
    vec![
        Request {
            source,
            target,
            udp
        };
        count
    ]
}

fn one(r: &Request) -> Result<Reply, String> {
    let domain = Domain::for_address(r.target);
    let (ty, proto) = if r.udp {
        (Type::DGRAM, Protocol::UDP)
    } else {
        (Type::STREAM, Protocol::TCP)
    };
    let s = Socket::new(domain, ty, Some(proto)).map_err(|e| format!("socket: {e}"))?;
    if let Some(src) = r.source {
        s.bind(&SocketAddr::new(src, 0).into())
            .map_err(|e| format!("bind {src}: {e}"))?;
    }
    s.set_read_timeout(Some(TIMEOUT))
        .map_err(|e| e.to_string())?;
    let mut text = String::new();
    if r.udp {
        s.send_to(b"hello", &r.target.into())
            .map_err(|e| format!("send to {}: {e}", r.target))?;
        let mut std_socket: std::net::UdpSocket = s.into();
        let mut buf = [0u8; 512];
        let n = std_socket
            .recv(&mut buf)
            .map_err(|e| format!("no answer from {}: {e}", r.target))?;
        text.push_str(&String::from_utf8_lossy(&buf[..n]));
        let _ = &mut std_socket;
    } else {
        s.connect_timeout(&r.target.into(), TIMEOUT)
            .map_err(|e| format!("connect to {}: {e}", r.target))?;
        let mut stream: std::net::TcpStream = s.into();
        stream
            .read_to_string(&mut text)
            .map_err(|e| format!("read from {}: {e}", r.target))?;
    }
    parse(&text).ok_or_else(|| format!("unexpected answer {text:?} from {}", r.target))
}

fn parse(text: &str) -> Option<Reply> {
    let mut parts = text.split_whitespace();
    Some(Reply {
        member: parts.next()?.to_string(),
        seen_source: parts.next()?.parse().ok()?,
        port: parts.next()?.parse().ok()?,
    })
}
