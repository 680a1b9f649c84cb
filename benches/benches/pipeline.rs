//! criterion benches of the full pipeline on W1 (see `cityindex_benches::w1`).
//!
//! Run: `cargo bench -p cityindex-benches --bench pipeline`

#![allow(missing_docs)] // criterion_main generates an undocumented main

use cityindex::Recipe;
use criterion::{Criterion, criterion_group, criterion_main};

fn pipeline(c: &mut Criterion) {
    let recipe =
        Recipe::from_json(r#"{"normalise": {"default": {"method": "min_max", "lo": 0, "hi": 1}}}"#)
            .expect("recipe");
    let mut group = c.benchmark_group("w1_10000x100");
    group.sample_size(30);
    for (name, missing) in [("complete", 0.0), ("missing_5pct", 0.05)] {
        let (framework, data) = cityindex_benches::w1(missing);
        group.bench_function(name, |b| {
            b.iter(|| cityindex::score(&framework, &data, &recipe).expect("scores"));
        });
    }
    group.finish();
}

criterion_group!(benches, pipeline);
criterion_main!(benches);
