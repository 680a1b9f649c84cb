//! Workloads for the benches and the comparison harness, generated from fixed seeds.
//!
//! W1 mirrors `shared/baselines/bench_a_ci_pipeline.py`: 10,000 units × 100 indicators,
//! log-normal values spanning three orders of magnitude, 30 % of indicators with direction −1,
//! 10 pillars of 10 indicators with weights in [0.5, 1.5], min-max → weighted arithmetic means
//! → rank ("min"). The numbers differ from numpy's (another generator); the work is the same.

use cityindex::framework::{Direction, Node, NodeKind};
use cityindex::{Dataset, Framework, Unit};
use rand::rngs::ChaCha8Rng;
use rand::{RngExt, SeedableRng};

/// A seeded synthetic framework and data set: `n_units × n_indicators`, `n_pillars` pillars
/// (none: the indicators sit right under the index), one index, and a share of cells missing.
///
/// # Panics
/// If `n_pillars` does not divide `n_indicators` (the framework would not be a tree of equal
/// pillars).
#[must_use]
pub fn synthetic(
    n_units: usize,
    n_indicators: usize,
    n_pillars: usize,
    missing: f64,
    seed: u64,
) -> (Framework, Dataset<'static>) {
    assert!(
        n_pillars == 0 || n_indicators.is_multiple_of(n_pillars),
        "pillars must divide indicators"
    );
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut nodes = vec![Node::aggregate("index", None)];
    for p in 0..n_pillars {
        nodes.push(
            Node::aggregate(&format!("P{p:02}"), Some("index"))
                .with_weight(rng.random_range(0.5..1.5)),
        );
    }
    let per_pillar = n_indicators / n_pillars.max(1);
    let mut columns = Vec::with_capacity(n_indicators);
    for i in 0..n_indicators {
        let id = format!("I{i:03}");
        let parent = if n_pillars == 0 {
            "index".to_owned()
        } else {
            format!("P{:02}", i / per_pillar)
        };
        let mut node = Node::indicator(&id, Some(&parent)).with_weight(rng.random_range(0.5..1.5));
        if let NodeKind::Indicator(ind) = &mut node.kind
            && rng.random::<f64>() < 0.3
        {
            ind.direction = Direction::Negative;
        }
        nodes.push(node);
        let magnitude = 10f64.powf(rng.random_range(0.0..3.0));
        let values = (0..n_units)
            .map(|_| {
                if rng.random::<f64>() < missing {
                    return f64::NAN;
                }
                // Box–Muller: a standard normal from two uniforms, then log-normal(0, 0.6).
                let (u1, u2): (f64, f64) = (rng.random_range(f64::EPSILON..1.0), rng.random());
                let z = (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos();
                (0.6 * z).exp() * magnitude
            })
            .collect();
        columns.push((id, values));
    }
    let units = (0..n_units)
        .map(|u| Unit::new(&format!("U{u:05}")))
        .collect();
    (
        Framework::new(nodes).expect("synthetic framework"),
        Dataset::new(units, columns).expect("synthetic data"),
    )
}

/// W1: 10,000 × 100 → 10 pillars → 1 index, seed 20240601.
#[must_use]
pub fn w1(missing: f64) -> (Framework, Dataset<'static>) {
    synthetic(10_000, 100, 10, missing, 20_240_601)
}

/// A seeded decision matrix like `shared/baselines/bench_c_mcda_libs.py`'s: `n × m`
/// log-normal values over three orders of magnitude, 30 % cost criteria, weights in [0.5, 1.5].
///
/// # Panics
/// Never for positive sizes.
#[must_use]
pub fn decision_matrix(n: usize, m: usize, seed: u64) -> cityindex::mcda::DecisionMatrix {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut columns = Vec::with_capacity(m);
    let mut directions = Vec::with_capacity(m);
    let mut weights = Vec::with_capacity(m);
    for _ in 0..m {
        let magnitude = 10f64.powf(rng.random_range(0.0..3.0));
        columns.push(
            (0..n)
                .map(|_| {
                    let (u1, u2): (f64, f64) = (rng.random_range(f64::EPSILON..1.0), rng.random());
                    let z = (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos();
                    (0.6 * z).exp() * magnitude
                })
                .collect(),
        );
        directions.push(if rng.random::<f64>() < 0.3 {
            Direction::Negative
        } else {
            Direction::Positive
        });
        weights.push(rng.random_range(0.5..1.5));
    }
    cityindex::mcda::DecisionMatrix::new(
        (0..n).map(|r| format!("A{r}")).collect(),
        (0..m).map(|c| format!("C{c}")).collect(),
        columns,
        directions,
        weights,
    )
    .expect("synthetic decision matrix")
}

/// Times `f` with the protocol of `shared/baselines/_timing.py`: one warm-up call, then the
/// median of `runs` timed calls, in seconds.
pub fn median_of(runs: usize, mut f: impl FnMut()) -> f64 {
    f();
    let mut times: Vec<f64> = (0..runs)
        .map(|_| {
            let start = std::time::Instant::now();
            f();
            start.elapsed().as_secs_f64()
        })
        .collect();
    times.sort_by(f64::total_cmp);
    times[runs / 2]
}
