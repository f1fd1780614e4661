//! Every resource limit has a diagnostic (E0030) instead of a crash or
//! unbounded work. The mechanism is exercised with small limits; the real
//! limits where that is cheap.

use lbc_compiler::limits::Limits;
use lbc_compiler::{analyze, analyze_with, Analysis, LoadedFile, MemoryLoader};

fn codes(a: &Analysis) -> Vec<&'static str> {
    a.diagnostics.iter().map(|d| d.code.as_str()).collect()
}

fn small() -> Limits {
    Limits {
        include_depth: 2,
        files: 3,
        vips: 5,
        members: 3,
        path_bytes: 20,
    }
}

#[test]
fn include_depth() {
    // main -> f1 -> f2 -> f3: f3 is at depth 3.
    let mut loader = MemoryLoader::new([
        ("f1.lbdsl", "include \"f2.lbdsl\"\n"),
        ("f2.lbdsl", "include \"f3.lbdsl\"\n"),
        ("f3.lbdsl", "vip 198.18.2.1:80 -> rr [198.18.1.11]\n"),
    ]);
    let root = LoadedFile::new("main.lbdsl", "main.lbdsl", "include \"f1.lbdsl\"\n");
    let a = analyze_with(
        root,
        &mut loader,
        &Limits {
            files: 100,
            ..small()
        },
    );
    assert_eq!(codes(&a), ["E0030"], "{:?}", a.diagnostics);
    assert!(a.diagnostics[0].message.contains("nested more than 2 deep"));
}

#[test]
fn include_depth_at_the_real_limit() {
    let depth = lbc_compiler::limits::MAX_INCLUDE_DEPTH;
    let names: Vec<String> = (0..=depth + 1).map(|i| format!("f{i}.lbdsl")).collect();
    let texts: Vec<String> = (0..=depth + 1)
        .map(|i| format!("include \"f{}.lbdsl\"\n", i + 1))
        .collect();
    let files: Vec<(&str, &str)> = names
        .iter()
        .map(String::as_str)
        .zip(texts.iter().map(String::as_str))
        .collect();
    let mut loader = MemoryLoader::new(files);
    let a = analyze(
        LoadedFile::new("f0.lbdsl", "f0.lbdsl", texts[0].clone()),
        &mut loader,
    );
    assert!(codes(&a).contains(&"E0030"), "{:?}", codes(&a));
    // A chain of exactly the limit loads.
    let mut loader = MemoryLoader::new([("f1.lbdsl", "host h = 198.18.1.11\n")]);
    let ok = analyze(
        LoadedFile::new(
            "f0.lbdsl",
            "f0.lbdsl",
            "include \"f1.lbdsl\"\nvip 198.18.2.1:80 -> rr [h]\n",
        ),
        &mut loader,
    );
    assert!(ok.diagnostics.is_empty(), "{:?}", ok.diagnostics);
}

#[test]
fn number_of_files() {
    let mut loader = MemoryLoader::new([
        ("a.lbdsl", "host a = 198.18.1.11\n"),
        ("b.lbdsl", "host b = 198.18.1.12\n"),
        ("c.lbdsl", "host c = 198.18.1.13\n"),
    ]);
    let root = LoadedFile::new(
        "main.lbdsl",
        "main.lbdsl",
        "include \"a.lbdsl\"\ninclude \"b.lbdsl\"\ninclude \"c.lbdsl\"\nvip 198.18.2.1:80 -> rr [a, b]\n",
    );
    let a = analyze_with(root, &mut loader, &small());
    assert_eq!(codes(&a), ["E0030"], "{:?}", a.diagnostics);
    assert!(a.diagnostics[0].message.contains("at most 3 files"));
}

#[test]
fn number_of_vips() {
    let text: String = (1..=6)
        .map(|i| format!("vip 198.18.2.{i}:80 -> rr [198.18.1.11]\n"))
        .collect();
    let a = analyze_with(
        LoadedFile::new("m", "m", text),
        &mut MemoryLoader::default(),
        &small(),
    );
    assert_eq!(codes(&a), ["E0030"]);
    assert!(a.diagnostics[0].message.contains("at most 5 vips"));
    assert!(a.checked.is_none());
}

#[test]
fn members_per_vip_and_pool() {
    let text = "pool p = [198.18.1.11, 198.18.1.12, 198.18.1.13, 198.18.1.14]\n\
                vip 198.18.2.1:80 -> rr [198.18.1.11, 198.18.1.12, 198.18.1.13, 198.18.1.14]\n\
                vip 198.18.2.2:80 -> rr p\n";
    let a = analyze_with(
        LoadedFile::new("m", "m", text),
        &mut MemoryLoader::default(),
        &small(),
    );
    assert_eq!(codes(&a), ["E0030", "E0030"], "{:?}", a.diagnostics);
    // The real limit.
    let max = lbc_compiler::limits::MAX_MEMBERS;
    let members: Vec<String> = (0..=max)
        .map(|i| format!("198.18.{}.{}", 4 + i / 250, 1 + i % 250))
        .collect();
    let text = format!("vip 198.18.2.1:80 -> rr [{}]\n", members.join(", "));
    let a = analyze(
        LoadedFile::new("m", "m", text),
        &mut MemoryLoader::default(),
    );
    assert_eq!(codes(&a), ["E0030"]);
}

#[test]
fn include_path_length() {
    let root = LoadedFile::new("m", "m", format!("include \"{}\"\n", "x".repeat(21)));
    let a = analyze_with(root, &mut MemoryLoader::default(), &small());
    assert_eq!(codes(&a), ["E0030"], "{:?}", a.diagnostics);
}

#[test]
fn an_empty_program_is_valid_and_removes_lbcs_rules() {
    for text in ["", "\n\n", "# only a comment\n", "   "] {
        let a = analyze(
            LoadedFile::new("m", "m", text),
            &mut MemoryLoader::default(),
        );
        assert_eq!(codes(&a), ["W0009"], "{text:?}");
        let ir = lbc_compiler::lower(a.checked.as_ref().expect("no error"), &a.sources);
        assert!(ir.vips.is_empty());
        let nft =
            lbc_backends::emit(lbc_backends::find("nft").expect("nft"), &ir).expect("compiles");
        assert!(nft.contains("delete table inet lbc") && !nft.contains("table inet lbc {"));
    }
}

#[test]
fn many_errors_are_all_reported_without_trouble() {
    // 20,000 broken lines: every one reported, nothing quadratic.
    let text: String = (0..20_000)
        .map(|i| format!("vip 198.18.2.{}:80 -> rr [nope{i}]\n", i % 250))
        .collect();
    let a = analyze(
        LoadedFile::new("m", "m", text),
        &mut MemoryLoader::default(),
    );
    assert!(a.diagnostics.len() >= 20_000);
}
