//! `lbc-stages FILE TARGET`: the time of each compiler stage on one file, for
//! finding where time goes (the benchmarks measure the same stages).

use std::time::Instant;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let mut args = std::env::args().skip(1);
    let (Some(path), Some(target)) = (args.next(), args.next()) else {
        eprintln!("usage: lbc-stages FILE TARGET");
        std::process::exit(2);
    };
    let text = std::fs::read_to_string(&path).expect("readable UTF-8 file");
    let t = Instant::now();
    let parsed = lbc_grammar::parse(&text);
    let parse = t.elapsed();
    assert!(parsed.errors.is_empty());
    drop(parsed);
    let t = Instant::now();
    let root = lbc_compiler::LoadedFile::new(path.clone(), path.clone(), text);
    let analysis = lbc_compiler::analyze(root, &mut lbc_compiler::MemoryLoader::default());
    let analyze = t.elapsed();
    let checked = analysis.checked.expect("no errors");
    let t = Instant::now();
    let program = lbc_compiler::lower(&checked, &analysis.sources);
    let lower = t.elapsed();
    let backend = lbc_backends::find(&target).expect("a built-in target");
    let t = Instant::now();
    let out = backend.render(&program);
    let render = t.elapsed();
    println!(
        "parse {:.3}s  analyze (parse+check) {:.3}s  lower {:.3}s  render {:.3}s  output {} bytes",
        parse.as_secs_f64(),
        analyze.as_secs_f64(),
        lower.as_secs_f64(),
        render.as_secs_f64(),
        out.len()
    );
}
