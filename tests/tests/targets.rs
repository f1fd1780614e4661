//! The output of every fixture and example for every built-in target.

use lbc_tests::{compile_ok, relative};

const TARGETS: &[&str] = &["nft", "nft-json", "iptables", "iptables-restore", "ir"];

fn snapshot_targets(path: &std::path::Path) {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    for target in TARGETS {
        let out = compile_ok(path, target);
        insta::with_settings!({
            snapshot_suffix => format!("{stem}.{target}"),
            description => relative(path),
            omit_expression => true,
        }, {
            insta::assert_snapshot!(out);
        });
    }
}

#[test]
fn every_fixture_for_every_target() {
    insta::glob!("../fixtures/lang", "*.lbdsl", snapshot_targets);
}

#[test]
fn every_example_for_every_target() {
    insta::glob!("../../examples", "*.lbdsl", snapshot_targets);
}

#[test]
fn output_is_deterministic() {
    for path in lbc_tests::programs() {
        for target in TARGETS {
            assert_eq!(
                compile_ok(&path, target),
                compile_ok(&path, target),
                "{}",
                relative(&path)
            );
        }
    }
}
