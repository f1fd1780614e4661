//! `lbc-gen N [--plain]`: prints a generated program with N vips (see
//! `lbc_tests::generate`). `--plain` gives round-robin TCP vips only.

fn main() {
    let mut args = std::env::args().skip(1);
    let n: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or_else(|| {
        eprintln!("usage: lbc-gen N [--plain]");
        std::process::exit(2)
    });
    let plain = args.any(|a| a == "--plain");
    print!(
        "{}",
        lbc_tests::generate::program(n, lbc_tests::generate::Mix { options: !plain })
    );
}
