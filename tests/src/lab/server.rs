//! Member servers: one thread per member, inside the member's namespace,
//! answering every TCP connection and UDP datagram with
//! `NAME SOURCE-ADDRESS LOCAL-PORT` — who answered, whom it saw, and on which
//! port — so that tests can see where a connection went and how it was NATed.

use std::io::Write;
use std::net::{IpAddr, SocketAddr, TcpListener, UdpSocket};
use std::os::fd::AsFd;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

use nix::poll::{poll, PollFd, PollFlags, PollTimeout};

use crate::netns::Netns;

/// How long a poll waits before looking at the stop flag again.
const POLL_MS: u16 = 100;

/// A running member server.
pub struct Server {
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

/// Enters the network namespace `name` on the calling thread.
pub fn enter(name: &str) {
    let file = std::fs::File::open(format!("/run/netns/{name}"))
        .unwrap_or_else(|e| panic!("cannot open namespace {name}: {e}"));
    nix::sched::setns(file.as_fd(), nix::sched::CloneFlags::CLONE_NEWNET)
        .unwrap_or_else(|e| panic!("cannot enter namespace {name}: {e}"));
}

/// The address as the server reports it (IPv4-mapped IPv6 as IPv4).
fn plain(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(IpAddr::V6(v6), IpAddr::V4),
        v4 @ IpAddr::V4(_) => v4,
    }
}

impl Server {
    /// Starts a server named `name` in `ns`, listening on every address
    /// (IPv4 and IPv6) on the given ports.
    pub fn start(ns: &Netns, name: &str, tcp_ports: &[u16], udp_ports: &[u16]) -> Server {
        let stop = Arc::new(AtomicBool::new(false));
        let (ready_tx, ready_rx) = std::sync::mpsc::channel();
        let (ns_name, name, tcp_ports, udp_ports) = (
            ns.name.clone(),
            name.to_string(),
            tcp_ports.to_vec(),
            udp_ports.to_vec(),
        );
        let flag = stop.clone();
        let thread = std::thread::spawn(move || {
            enter(&ns_name);
            let bind = |p: u16| SocketAddr::from((std::net::Ipv6Addr::UNSPECIFIED, p));
            let tcp: Vec<TcpListener> = tcp_ports
                .iter()
                .map(|p| TcpListener::bind(bind(*p)).unwrap_or_else(|e| panic!("tcp {p}: {e}")))
                .collect();
            let udp: Vec<UdpSocket> = udp_ports
                .iter()
                .map(|p| UdpSocket::bind(bind(*p)).unwrap_or_else(|e| panic!("udp {p}: {e}")))
                .collect();
            for l in &tcp {
                let _ = l.set_nonblocking(true);
            }
            for u in &udp {
                let _ = u.set_nonblocking(true);
            }
            let _ = ready_tx.send(());
            serve(&name, &tcp, &udp, &flag);
        });
        ready_rx
            .recv_timeout(Duration::from_secs(10))
            .expect("the member server starts");
        Server {
            stop,
            thread: Some(thread),
        }
    }

    /// Stops the server and waits for its thread.
    pub fn stop(mut self) {
        self.shutdown();
    }

    fn shutdown(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.shutdown();
    }
}

fn serve(name: &str, tcp: &[TcpListener], udp: &[UdpSocket], stop: &AtomicBool) {
    let mut buf = [0u8; 2048];
    while !stop.load(Ordering::SeqCst) {
        let mut fds: Vec<PollFd> = tcp
            .iter()
            .map(|l| PollFd::new(l.as_fd(), PollFlags::POLLIN))
            .chain(
                udp.iter()
                    .map(|u| PollFd::new(u.as_fd(), PollFlags::POLLIN)),
            )
            .collect();
        if poll(&mut fds, PollTimeout::from(POLL_MS)).unwrap_or(0) == 0 {
            continue;
        }
        for l in tcp {
            while let Ok((mut conn, peer)) = l.accept() {
                let local = conn.local_addr().map(|a| a.port()).unwrap_or(0);
                let _ = conn.set_nonblocking(false);
                let _ = conn.set_write_timeout(Some(Duration::from_secs(2)));
                let _ = writeln!(conn, "{name} {} {local}", plain(peer.ip()));
            }
        }
        for u in udp {
            while let Ok((_, peer)) = u.recv_from(&mut buf) {
                let local = u.local_addr().map(|a| a.port()).unwrap_or(0);
                let reply = format!("{name} {} {local}\n", plain(peer.ip()));
                let _ = u.send_to(reply.as_bytes(), peer);
            }
        }
    }
}
