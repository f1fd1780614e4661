//! `cargo bench -p lbc-tests --bench stages`: each compiler stage (parse,
//! check, lower, emit for every target) on generated programs of 1,000, 10,000
//! and 100,000 vips with 3 members each and a mix of algorithms and options
//! (`lbc_tests::generate`). `-- --test` runs every benchmark once (CI).

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use lbc_compiler::{analyze, lower, LoadedFile, MemoryLoader};
use lbc_tests::generate::{program, Mix};

const SIZES: [usize; 3] = [1_000, 10_000, 100_000];

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn stages(c: &mut Criterion) {
    let mut g = c.benchmark_group("stages");
    g.sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3));
    for n in SIZES {
        let src = program(n, Mix { options: true });
        g.throughput(Throughput::Elements(n as u64));
        g.bench_with_input(BenchmarkId::new("parse", n), &src, |b, src| {
            b.iter(|| black_box(lbc_grammar::parse(src)))
        });
        g.bench_with_input(BenchmarkId::new("parse+check", n), &src, |b, src| {
            b.iter(|| {
                let root = LoadedFile::new("gen", "gen", src.clone());
                black_box(analyze(root, &mut MemoryLoader::default()))
            })
        });
        let analysis = analyze(
            LoadedFile::new("gen", "gen", src.clone()),
            &mut MemoryLoader::default(),
        );
        let checked = analysis.checked.expect("generated programs check clean");
        g.bench_with_input(BenchmarkId::new("lower", n), &checked, |b, checked| {
            b.iter(|| black_box(lower(checked, &analysis.sources)))
        });
        let ir = lower(&checked, &analysis.sources);
        for backend in lbc_backends::builtin() {
            g.bench_with_input(
                BenchmarkId::new(format!("emit-{}", backend.name()), n),
                &ir,
                |b, ir| b.iter(|| black_box(backend.render(ir))),
            );
        }
    }
    g.finish();
}

criterion_group!(benches, stages);
criterion_main!(benches);
