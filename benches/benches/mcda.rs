//! criterion benches of MCDA methods and weights (see `cityindex_benches::decision_matrix`).
//!
//! Run: `cargo bench -p cityindex-benches --bench mcda`

#![allow(missing_docs)] // criterion_main generates an undocumented main

use cityindex::mcda::{self, Method, Missing, PreferenceFunction, scaling::Scaling};
use cityindex::weight;
use criterion::{Criterion, criterion_group, criterion_main};

fn mcda_benches(c: &mut Criterion) {
    let big = cityindex_benches::decision_matrix(10_000, 100, 3);
    let mut group = c.benchmark_group("mcda_10000x100");
    group.sample_size(20);
    let topsis = Method::Topsis {
        scaling: Scaling::MinMax,
    };
    group.bench_function("topsis", |b| {
        b.iter(|| mcda::evaluate(&big, &topsis, Missing::Error).expect("topsis"));
    });
    group.bench_function("entropy_weights", |b| {
        b.iter(|| weight::entropy(&big).expect("entropy"));
    });
    group.bench_function("critic_weights", |b| {
        b.iter(|| weight::critic(&big).expect("critic"));
    });
    group.finish();
    let mid = cityindex_benches::decision_matrix(2_000, 100, 3);
    let mut group = c.benchmark_group("mcda_2000x100");
    group.sample_size(10);
    let promethee = Method::PrometheeII {
        preference: PreferenceFunction::Usual,
    };
    group.bench_function("promethee_ii_usual", |b| {
        b.iter(|| mcda::evaluate(&mid, &promethee, Missing::Error).expect("promethee"));
    });
    group.finish();
}

criterion_group!(benches, mcda_benches);
criterion_main!(benches);
