//! `lbc backends`: every built-in target and what it can express.

use lbc_ir::capability::{Feature, Support};

use super::EXIT_OK;

pub fn run() -> u8 {
    let backends = lbc_backends::builtin();
    println!("Targets:");
    for b in backends {
        println!("  {:<18} {}", b.name(), b.description());
    }
    println!(
        "  {:<18} any other name runs the plugin lbc-backend-NAME from PATH (IR JSON on stdin)",
        "NAME"
    );
    println!();
    println!("What each target can express (yes, no, or the limit within which it is exact):");
    let cell = |b: &dyn lbc_backends::Backend, f: Feature| match b.capabilities().support(f) {
        Support::Full => "yes".to_string(),
        Support::Limited(l) => l.describe(),
        Support::Unsupported(_) => "no".to_string(),
    };
    let first = Feature::ALL
        .iter()
        .map(|f| f.name().len())
        .max()
        .unwrap_or(10)
        .max(7);
    let widths: Vec<usize> = backends
        .iter()
        .map(|b| {
            Feature::ALL
                .iter()
                .map(|f| cell(*b, *f).chars().count())
                .chain(std::iter::once(b.name().len()))
                .max()
                .unwrap_or(3)
        })
        .collect();
    let mut header = format!("  {:<first$}", "feature");
    for (b, w) in backends.iter().zip(&widths) {
        header.push_str(&format!("  {:<w$}", b.name()));
    }
    println!("{}", header.trim_end());
    for f in Feature::ALL {
        let mut line = format!("  {:<first$}", f.name());
        for (b, w) in backends.iter().zip(&widths) {
            line.push_str(&format!("  {:<w$}", cell(*b, f)));
        }
        println!("{}", line.trim_end());
    }
    EXIT_OK
}
