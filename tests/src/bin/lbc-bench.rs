//! `lbc-bench [--quick]`: the performance report of `docs/performance.md`, as
//! Markdown on standard output (`scripts/bench` writes the file). Needs root
//! (kernel loads and the traffic lab use network namespaces) and a release
//! build of `lbc` next to this program.
//!
//! 1. compile time and peak memory of `lbc compile` at 10k and 100k vips, every
//!    target (median of 3 runs; peak RSS from `getrusage` of the child);
//! 2. kernel load time of lbc's output (`nft -f`, `nft -j -f`,
//!    `iptables-nft-restore`) at 2k, 8k and 32k vips, next to the classic
//!    recipe's layout (one rule per vip with an anonymous `numgen` map);
//! 3. new-connection latency through the traffic lab to the first and the last
//!    vip with 1 and with 10,000 vips loaded, for the nft and iptables targets.
//!
//! `--quick` uses small sizes and few samples (CI runs it so that it cannot rot).
//! `lbc-bench measure CMD ARGS...` is the helper that times one command.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::Instant;

use lbc_tests::generate::{program, recipe, vip_address, vip_port, Mix};
use lbc_tests::lab::client::{repeat, timed_requests};
use lbc_tests::lab::load::load_target;
use lbc_tests::lab::{client_address, Lab};
use lbc_tests::netns::Netns;
use lbc_tests::temp::TempDir;

/// What the figures come from (found with `perf record` and `lbc-stages`).
const NOTES: &str = "
## Where the time goes

- **Compiling**: parsing is about half of `lbc compile --target nft` (pest; files
  over 512 KiB are cut at statement lines and parsed on all cores), checking about
  a tenth, building and printing the output the rest. Vip chains are built while
  they are printed, so the output plan never holds 100,000 chains at once.
- **Loading with nft**: the kernel looks up every expression's type by name and
  parses every rule's user data, so the cost is in rules and their expressions:
  a vip costs one dispatch-map element, one source-NAT element and one rule per
  member (the selection cascade). The `file:line` comment is on the first rule
  of each vip chain only (on every rule it cost 10% more). The recipe is
  quadratic because every rule creates an anonymous set; lbc creates a fixed
  number of sets (plus one per member of each sticky vip with several
  ports).
- **Packet path**: nft finds a vip with one hash lookup in the dispatch map, so
  the last of 10,000 vips costs what the only vip costs. iptables walks its nat
  chain rule by rule.
";

struct Sizes {
    compile: Vec<usize>,
    load: Vec<usize>,
    latency_vips: usize,
    latency_samples: usize,
    runs: usize,
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("measure") {
        measure_child(&args[1..]);
        return;
    }
    let quick = args.iter().any(|a| a == "--quick");
    let sizes = if quick {
        Sizes {
            compile: vec![1_000, 2_000],
            load: vec![200, 800],
            latency_vips: 100,
            latency_samples: 30,
            runs: 1,
        }
    } else {
        Sizes {
            compile: vec![10_000, 100_000],
            load: vec![2_000, 8_000, 32_000],
            latency_vips: 10_000,
            latency_samples: 2_000,
            runs: 3,
        }
    };
    let dir = TempDir::new("bench");
    let mut report = String::new();
    report.push_str(&header(quick));
    report.push_str(&compile_section(&sizes, &dir));
    report.push_str(&load_section(&sizes, &dir));
    report.push_str(&latency_section(&sizes, &dir));
    report.push_str(NOTES);
    print!("{report}");
}

/// Runs `args` as a child and prints `SECONDS MAXRSS_KB` (the child's peak).
fn measure_child(args: &[String]) {
    let start = Instant::now();
    let status = Command::new(&args[0])
        .args(&args[1..])
        .stdout(Stdio::null())
        .status()
        .expect("the measured command runs");
    let elapsed = start.elapsed();
    assert!(status.success(), "{args:?} failed");
    let usage = nix::sys::resource::getrusage(nix::sys::resource::UsageWho::RUSAGE_CHILDREN)
        .expect("getrusage");
    println!("{} {}", elapsed.as_secs_f64(), usage.max_rss());
}

/// Time and peak memory of one command, measured in a fresh process.
fn measure(cmd: &[&str]) -> (f64, u64) {
    let me = std::env::current_exe().expect("own path");
    let out = Command::new(me)
        .arg("measure")
        .args(cmd)
        .output()
        .expect("measure runs");
    let text = String::from_utf8_lossy(&out.stdout);
    let mut parts = text.split_whitespace();
    let secs = parts
        .next()
        .and_then(|s| s.parse().ok())
        .unwrap_or(f64::NAN);
    let kb = parts.next().and_then(|s| s.parse().ok()).unwrap_or(0);
    (secs, kb)
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

fn lbc_binary() -> PathBuf {
    let exe = std::env::current_exe().expect("own path");
    let lbc = exe.with_file_name("lbc");
    assert!(
        lbc.exists(),
        "build lbc first: cargo build --release -p lbc-cli"
    );
    lbc
}

fn sh(cmd: &str) -> String {
    Command::new("sh")
        .args(["-c", cmd])
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_default()
}

fn header(quick: bool) -> String {
    let cpu = sh("grep -m1 'model name' /proc/cpuinfo | cut -d: -f2");
    let cores = sh("nproc");
    let mem = sh("grep MemTotal /proc/meminfo | awk '{printf \"%.0f GiB\", $2/1048576}'");
    let kernel = sh("uname -r");
    let nft = sh("nft --version");
    let ipt = sh("iptables-nft --version");
    let date = sh("date -u +%Y-%m-%d");
    format!(
        "# Performance\n\n\
         Measured with `scripts/bench`{} on {date}: release build, mimalloc.\n\n\
         Machine: {} ({cores} cores), {mem} RAM, Linux {kernel}, {nft}, {ipt}.\n\
         Times are wall-clock on a shared 2-core virtual machine: compare them as\n\
         ratios within one run, not as absolute figures.\n\n",
        if quick { " --quick" } else { "" },
        cpu.trim()
    )
}

fn compile_section(sizes: &Sizes, dir: &TempDir) -> String {
    let lbc = lbc_binary();
    let targets = ["nft", "nft-json", "iptables", "iptables-restore", "ir"];
    let mut s = String::from(
        "## 1. Compile time and peak memory\n\n\
         `lbc compile FILE --target T -o OUT` on generated programs (`lbc-gen N`: 3 members\n\
         per vip; rr, random and hash; weights, sticky, port lists and ranges, udp,\n\
         IPv6, counters, comments, snat none), median of the runs, peak RSS of the\n\
         process.\n\n| target |",
    );
    for n in &sizes.compile {
        s.push_str(&format!(" {} vips: time | peak memory |", n));
    }
    s.push_str("\n|---|");
    for _ in &sizes.compile {
        s.push_str("---|---|");
    }
    s.push('\n');
    let mut nft_times = Vec::new();
    let mut nft_peak = 0;
    let files: Vec<PathBuf> = sizes
        .compile
        .iter()
        .map(|n| {
            dir.file(
                &format!("gen{n}.lbdsl"),
                &program(*n, Mix { options: true }),
            )
        })
        .collect();
    for t in targets {
        s.push_str(&format!("| {t} |"));
        for (i, file) in files.iter().enumerate() {
            let out = dir.path().join(format!("out-{t}-{i}"));
            let runs: Vec<(f64, u64)> = (0..sizes.runs)
                .map(|_| {
                    measure(&[
                        lbc.to_str().expect("utf-8"),
                        "compile",
                        file.to_str().expect("utf-8"),
                        "--target",
                        t,
                        "-o",
                        out.to_str().expect("utf-8"),
                    ])
                })
                .collect();
            let time = median(runs.iter().map(|r| r.0).collect());
            let peak = runs.iter().map(|r| r.1).max().unwrap_or(0);
            if t == "nft" {
                nft_times.push(time);
                nft_peak = peak;
            }
            s.push_str(&format!(" {time:.3} s | {} MB |", peak / 1024));
            let _ = std::fs::remove_file(out);
        }
        s.push('\n');
    }
    if let [small, large] = nft_times.as_slice() {
        let (n0, n1) = (sizes.compile[0], sizes.compile[1]);
        s.push_str(&format!(
            "\nnft at {n1} vips: {large:.3} s (goal ≤ 1 s: {}), peak {} MB (goal < 300 MB: {}); \
             {n1}/{n0} time ratio {:.1} (goal ≤ 12 for ten times the vips: {}).\n\n",
            verdict(*large <= 1.0),
            nft_peak / 1024,
            verdict(nft_peak / 1024 < 300),
            large / small,
            verdict(large / small <= 12.0 * (n1 as f64 / n0 as f64) / 10.0)
        ));
    }
    s
}

fn verdict(ok: bool) -> &'static str {
    if ok {
        "met"
    } else {
        "**missed**"
    }
}

/// The longest a single load may take before it is reported as too slow.
const LOAD_LIMIT: std::time::Duration = std::time::Duration::from_secs(600);

/// Seconds to load `input` with `args` into a fresh namespace; infinity when it
/// takes longer than [`LOAD_LIMIT`].
fn load_time(args: &[&str], input: &str) -> f64 {
    let ns = Netns::new("lbc-bench-load");
    let start = Instant::now();
    let out = ns.exec_for(args[0], &args[1..], Some(input.as_bytes()), LOAD_LIMIT);
    let elapsed = start.elapsed();
    if elapsed >= LOAD_LIMIT {
        return f64::INFINITY;
    }
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    elapsed.as_secs_f64()
}

fn seconds(t: f64) -> String {
    if t.is_finite() {
        format!("{t:.3} s")
    } else {
        format!("> {} s (stopped)", LOAD_LIMIT.as_secs())
    }
}

fn compile_text(dir: &TempDir, n: usize, mix: Mix, target: &str) -> String {
    let file = dir.file(&format!("load{n}-{}.lbdsl", mix.options), &program(n, mix));
    let out = Command::new(lbc_binary())
        .args(["compile", file.to_str().expect("utf-8"), "--target", target])
        .output()
        .expect("lbc runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8 output")
}

fn load_section(sizes: &Sizes, dir: &TempDir) -> String {
    let mut s = String::from(
        "## 2. Kernel load time\n\n\
         Loading into a fresh network namespace (median of the runs). `plain` programs\n\
         are the recipe's shape (rr over 3 members, TCP); `mixed` is the program of\n\
         section 1. The recipe layout is one rule per vip with an anonymous\n\
         `numgen` map (`ip daddr A tcp dport P dnat to numgen inc mod 3 map { … }`).\n\n\
         | vips | recipe `nft -f` | lbc nft `nft -f` (plain) | lbc nft (mixed) | lbc nft-json `nft -j -f` (plain) | lbc iptables-restore (plain) | recipe / lbc nft |\n\
         |---|---|---|---|---|---|---|\n",
    );
    let plain = Mix { options: false };
    let mixed = Mix { options: true };
    let mut lbc_nft = Vec::new();
    let mut ratios = Vec::new();
    for &n in &sizes.load {
        let runs = |args: &[&str], text: &str, r: usize| {
            median((0..r).map(|_| load_time(args, text)).collect())
        };
        // The recipe is slow at 32,000 vips (minutes): one run there.
        let recipe_runs = if n > 10_000 { 1 } else { sizes.runs };
        let recipe_time = runs(&["nft", "-f", "-"], &recipe(n), recipe_runs);
        let nft = runs(
            &["nft", "-f", "-"],
            &compile_text(dir, n, plain, "nft"),
            sizes.runs,
        );
        let nft_mixed = runs(
            &["nft", "-f", "-"],
            &compile_text(dir, n, mixed, "nft"),
            sizes.runs,
        );
        let json = runs(
            &["nft", "-j", "-f", "-"],
            &compile_text(dir, n, plain, "nft-json"),
            sizes.runs,
        );
        let restore = runs(
            &["iptables-nft-restore", "--noflush"],
            &compile_text(dir, n, plain, "iptables-restore"),
            sizes.runs,
        );
        lbc_nft.push(nft);
        ratios.push(recipe_time / nft);
        let ratio = if recipe_time.is_finite() {
            format!("{:.1}×", recipe_time / nft)
        } else {
            format!("> {:.0}×", LOAD_LIMIT.as_secs_f64() / nft)
        };
        s.push_str(&format!(
            "| {n} | {} | {} | {} | {} | {} | {ratio} |\n",
            seconds(recipe_time),
            seconds(nft),
            seconds(nft_mixed),
            seconds(json),
            seconds(restore),
        ));
    }
    if sizes.load.len() != 3 {
        s.push('\n');
    }
    if sizes.load.len() == 3 {
        s.push_str(&format!(
            "\nAt {} vips lbc's nft output loads {:.1}× faster than the recipe (goal ≥ 10×: {}); \
             {} vips load in {:.2}× the time of {} (goal ≤ 4.5×: {}).\n\n",
            sizes.load[1],
            ratios[1],
            verdict(ratios[1] >= 10.0),
            sizes.load[2],
            lbc_nft[2] / lbc_nft[1],
            sizes.load[1],
            verdict(lbc_nft[2] / lbc_nft[1] <= 4.5)
        ));
    }
    s
}

/// Median and 90th percentile latency (µs) of new TCP connections to `vip`.
fn latency(lab: &Lab, vip: SocketAddr, samples: usize) -> (f64, f64) {
    // Warm up ARP/neighbour caches and the server thread.
    let _ = timed_requests(
        &lab.client,
        &repeat(Some(client_address(false, 0)), vip, false, 20),
    );
    let results = timed_requests(
        &lab.client,
        &repeat(Some(client_address(false, 0)), vip, false, samples),
    );
    let mut micros: Vec<f64> = results
        .into_iter()
        .map(|r| r.expect("every connection succeeds").1.as_secs_f64() * 1e6)
        .collect();
    micros.sort_by(|a, b| a.total_cmp(b));
    (micros[micros.len() / 2], micros[micros.len() * 9 / 10])
}

fn latency_section(sizes: &Sizes, dir: &TempDir) -> String {
    let n = sizes.latency_vips;
    let mut s = format!(
        "## 3. New-connection latency\n\n\
         Through the traffic lab (client → router → member, network namespaces): time\n\
         from opening a TCP socket to reading the member's answer, {} sequential\n\
         connections (after 20 to warm up), median and 90th percentile in µs. With 1\n\
         vip and with {n} vips (plain rr programs) loaded into the router.\n\n\
         | target | 1 vip | {n} vips, first vip | {n} vips, last vip | last ({n}) / 1 vip |\n\
         |---|---|---|---|---|\n",
        sizes.latency_samples
    );
    let vip = |i: usize| -> SocketAddr {
        let (a, _) = vip_address(i, Mix { options: false });
        format!("{a}:{}", vip_port(i)).parse().expect("address")
    };
    let mut nft_ratio = f64::NAN;
    for target in ["nft", "iptables"] {
        let one = {
            let lab = Lab::new(5, &[80], &[]);
            load_target(
                &lab.router,
                target,
                &compile_text(dir, 1, Mix { options: false }, target),
            );
            latency(&lab, vip(0), sizes.latency_samples)
        };
        let (first, last) = {
            let lab = Lab::new(5, &[80], &[]);
            load_target(
                &lab.router,
                target,
                &compile_text(dir, n, Mix { options: false }, target),
            );
            (
                latency(&lab, vip(0), sizes.latency_samples),
                latency(&lab, vip(n - 1), sizes.latency_samples),
            )
        };
        let ratio = last.0 / one.0;
        if target == "nft" {
            nft_ratio = ratio;
        }
        s.push_str(&format!(
            "| {target} | {:.0} / {:.0} | {:.0} / {:.0} | {:.0} / {:.0} | {ratio:.2} |\n",
            one.0, one.1, first.0, first.1, last.0, last.1
        ));
    }
    s.push_str(&format!(
        "\nnft: the last of {n} vips is reached in {nft_ratio:.2}× the time of a single vip \
         (goal ≤ 1.25×: {}). iptables evaluates its nat rules one after another, so its\n\
         last vip costs more as vips are added.\n",
        verdict(nft_ratio <= 1.25)
    ));
    s
}
