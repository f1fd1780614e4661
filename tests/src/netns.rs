//! Network namespaces made by tests, with commands run inside them.
//!
//! Every namespace has a unique name (a prefix, the process id and a counter)
//! and is deleted when its handle is dropped, also when a test fails or panics.
//! Every command runs with a time limit.

use std::io::Write;
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

static COUNTER: AtomicU32 = AtomicU32::new(0);

/// The longest any single command may run.
pub const COMMAND_TIMEOUT: Duration = Duration::from_secs(120);

/// A network namespace that exists as long as this value.
pub struct Netns {
    pub name: String,
    deleted: bool,
}

impl Netns {
    /// Creates `PREFIX-PID-N`.
    pub fn new(prefix: &str) -> Netns {
        let n = COUNTER.fetch_add(1, Ordering::SeqCst);
        let name = format!("{prefix}-{}-{n}", std::process::id());
        let out = run(Command::new("ip").args(["netns", "add", &name]), None);
        assert!(
            out.status.success(),
            "ip netns add {name}: {}",
            text(&out.stderr)
        );
        let ns = Netns {
            name,
            deleted: false,
        };
        ns.ok("ip", &["link", "set", "lo", "up"]);
        ns
    }

    /// Runs `program args` in the namespace.
    pub fn exec(&self, program: &str, args: &[&str], stdin: Option<&[u8]>) -> Output {
        self.exec_for(program, args, stdin, COMMAND_TIMEOUT)
    }

    /// Runs `program args` in the namespace, killed after `limit`.
    pub fn exec_for(
        &self,
        program: &str,
        args: &[&str],
        stdin: Option<&[u8]>,
        limit: Duration,
    ) -> Output {
        let mut cmd = Command::new("ip");
        cmd.args(["netns", "exec", &self.name, program]).args(args);
        run_for(&mut cmd, stdin, limit)
    }

    /// Runs a command that must succeed; returns its stdout.
    pub fn ok(&self, program: &str, args: &[&str]) -> String {
        self.ok_with(program, args, None)
    }

    /// Runs a command with `stdin` that must succeed; returns its stdout.
    pub fn ok_with(&self, program: &str, args: &[&str], stdin: Option<&[u8]>) -> String {
        let out = self.exec(program, args, stdin);
        assert!(
            out.status.success(),
            "in {}: {program} {} failed ({}):\n{}{}",
            self.name,
            args.join(" "),
            out.status,
            text(&out.stdout),
            text(&out.stderr)
        );
        text(&out.stdout)
    }

    /// `nft -s list ruleset`: the stateless listing used to compare rulesets.
    pub fn nft_listing(&self) -> String {
        self.ok("nft", &["-s", "list", "ruleset"])
    }
}

impl Netns {
    /// Deletes the namespace now; returns whether it is gone.
    pub fn delete(&mut self) -> bool {
        if !self.deleted {
            let _ = run(Command::new("ip").args(["netns", "del", &self.name]), None);
            self.deleted = true;
        }
        !std::path::Path::new("/run/netns").join(&self.name).exists()
    }
}

impl Drop for Netns {
    fn drop(&mut self) {
        self.delete();
    }
}

pub fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// Runs a command with an optional stdin and the time limit; a command that
/// runs too long is killed and reported as failed.
pub fn run(cmd: &mut Command, stdin: Option<&[u8]>) -> Output {
    run_for(cmd, stdin, COMMAND_TIMEOUT)
}

/// [`run`] with another time limit.
pub fn run_for(cmd: &mut Command, stdin: Option<&[u8]>, limit: Duration) -> Output {
    cmd.stdin(if stdin.is_some() {
        Stdio::piped()
    } else {
        Stdio::null()
    })
    .stdout(Stdio::piped())
    .stderr(Stdio::piped());
    let mut child = cmd
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run {cmd:?}: {e}"));
    if let (Some(input), Some(mut pipe)) = (stdin, child.stdin.take()) {
        let input = input.to_vec();
        std::thread::spawn(move || {
            let _ = pipe.write_all(&input);
        });
    }
    let pid = child.id();
    let (done, wait) = std::sync::mpsc::channel::<()>();
    let watchdog = std::thread::spawn(move || {
        if let Err(std::sync::mpsc::RecvTimeoutError::Timeout) = wait.recv_timeout(limit) {
            // Only the child we started, by its pid.
            let _ = Command::new("kill").args(["-9", &pid.to_string()]).status();
        }
    });
    let out = child
        .wait_with_output()
        .unwrap_or_else(|e| panic!("cannot wait for {cmd:?}: {e}"));
    let _ = done.send(());
    let _ = watchdog.join();
    out
}
