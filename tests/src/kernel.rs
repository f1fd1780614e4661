//! Whether kernel tests can run here. They are required: when the machine
//! cannot run them (not root, or `nft`, `iptables-nft` or `ip` missing) they
//! fail with what to install, unless `LBC_KERNEL_TESTS=skip` says to skip them.

use std::process::Command;
use std::sync::OnceLock;

/// `true` when kernel tests should run; `false` only when explicitly skipped.
/// Panics when they are required and cannot run.
pub fn required() -> bool {
    static CHECK: OnceLock<Result<(), String>> = OnceLock::new();
    if std::env::var("LBC_KERNEL_TESTS").as_deref() == Ok("skip") {
        eprintln!("kernel tests skipped (LBC_KERNEL_TESTS=skip)");
        return false;
    }
    match CHECK.get_or_init(check) {
        Ok(()) => true,
        Err(why) => panic!(
            "kernel tests cannot run: {why}\n\
             They need root and the Debian packages nftables, iptables and iproute2 \
             (`.ci/run` installs them). Set LBC_KERNEL_TESTS=skip to skip them."
        ),
    }
}

fn check() -> Result<(), String> {
    let uid = Command::new("id")
        .arg("-u")
        .output()
        .map_err(|e| format!("cannot run `id -u`: {e}"))?;
    if String::from_utf8_lossy(&uid.stdout).trim() != "0" {
        return Err("not running as root".to_string());
    }
    for (tool, arg) in [
        ("nft", "--version"),
        ("iptables-nft", "--version"),
        ("ip", "-V"),
    ] {
        let ok = Command::new(tool)
            .arg(arg)
            .output()
            .map(|o| o.status.success())
            .unwrap_or(false);
        if !ok {
            return Err(format!("`{tool}` is missing"));
        }
    }
    Ok(())
}
