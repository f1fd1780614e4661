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
    let width = Feature::ALL
        .iter()
        .map(|f| f.name().len())
        .max()
        .unwrap_or(10)
        + 2;
    print!("  {:<width$}", "feature");
    for b in backends {
        print!(" {:<18}", b.name());
    }
    println!();
    for f in Feature::ALL {
        print!("  {:<width$}", f.name());
        for b in backends {
            let cell = match b.capabilities().support(f) {
                Support::Full => "yes".to_string(),
                Support::Limited(l) => l.describe(),
                Support::Unsupported(_) => "no".to_string(),
            };
            print!(" {cell:<18}");
        }
        println!();
    }
    EXIT_OK
}
