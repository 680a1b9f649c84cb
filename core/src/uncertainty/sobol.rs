//! Variance-based sensitivity analysis: Sobol' first-order and total-effect indices with
//! Saltelli's sampling design, for any model.
//!
//! Design (Saltelli 2002; Saltelli et al. 2010): two independent base samples A and B of N points
//! in the unit hypercube, and for each input i the matrix AB(i) — A with column i taken from B. The
//! model is evaluated at the N·(d + 2) points. With Y standardised over A and B, and V the
//! population variance of [f(A); f(B)]:
//!
//! - first order (Saltelli et al. 2010): S(i) = mean(f(B)·(f(AB(i)) − f(A))) / V
//! - total effect (Jansen 1999): ST(i) = ½·mean((f(A) − f(AB(i)))²) / V
//!
//! exactly as SALib's `sobol.analyze`. Confidence intervals come from a bootstrap over the base
//! points (each resample draws N of them with replacement; the interval half-width is
//! z·sd of the resampled estimates, z = 1.96 for 95 %), as SALib does; resample k draws from
//! its own ChaCha stream (seed, k).

use rand::rngs::ChaCha8Rng;
use rand::{RngExt, SeedableRng};
use serde::{Deserialize, Serialize};

use crate::error::MethodError;
use crate::limits;
use crate::stats;

/// Sobol' indices of every input, with bootstrap confidence intervals.
#[cfg_attr(feature = "typescript", derive(tsify::Tsify), tsify(hashmap_as_object))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SobolIndices {
    /// First-order indices.
    pub first_order: Vec<f64>,
    /// Total-effect indices.
    pub total: Vec<f64>,
    /// 95 % half-widths of the first-order indices.
    pub first_order_conf: Vec<f64>,
    /// 95 % half-widths of the total-effect indices.
    pub total_conf: Vec<f64>,
}

/// Indices at increasing numbers of base points, to judge convergence.
#[cfg_attr(feature = "typescript", derive(tsify::Tsify), tsify(hashmap_as_object))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Convergence {
    /// The numbers of base points used (N/8, N/4, N/2, N).
    pub base_points: Vec<usize>,
    /// The indices at each.
    pub indices: Vec<SobolIndices>,
}

/// The evaluation points of Saltelli's design for `d` inputs and `n` base points, in the
/// unit hypercube, grouped per base point as SALib lays them out: A, AB(1) … AB(d), B. Draws come
/// from a ChaCha stream of `seed`: A's d values then B's d values for each base point in turn.
///
/// # Errors
/// [`MethodError::TooLarge`] for a design beyond [`limits`] ([`check_design_size`]).
pub fn saltelli_design(d: usize, n: usize, seed: u64) -> Result<Vec<Vec<f64>>, MethodError> {
    let own: Vec<usize> = (0..d).collect();
    saltelli_design_groups(&own, n, seed)
}

/// Saltelli's design for inputs in groups (SALib's `groups`): `groups[i]` is input i's group,
/// numbered 0 … g − 1 in order of first appearance. Per base point: A, AB(1) … AB(g), B, where
/// AB(j) takes every input of group j from B; the indices of such outputs ([`sobol_indices`]
/// with g inputs) are the groups'. A and B are drawn as in [`saltelli_design`], so with every
/// input its own group the two designs are the same.
///
/// # Errors
/// Groups not numbered 0 … g − 1 in order of first appearance; a design beyond [`limits`].
pub fn saltelli_design_groups(
    groups: &[usize],
    n: usize,
    seed: u64,
) -> Result<Vec<Vec<f64>>, MethodError> {
    let d = groups.len();
    let mut g = 0;
    for &j in groups {
        if j > g {
            return Err(MethodError::InvalidParameter {
                method: "Sobol analysis",
                reason: format!(
                    "groups must be numbered 0, 1, … in order of first appearance, not {groups:?}"
                ),
            });
        }
        g = g.max(j + 1);
    }
    check_design_size(g, n, 0, 0)?;
    limits::check(
        "numbers kept by the Sobol design, runs × inputs,",
        limits::product(&[n, g.saturating_add(2), d]),
        limits::MAX_KEPT as u128,
    )?;
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut points = Vec::with_capacity(n * (g + 2));
    for _ in 0..n {
        let a: Vec<f64> = (0..d).map(|_| rng.random::<f64>()).collect();
        let b: Vec<f64> = (0..d).map(|_| rng.random::<f64>()).collect();
        points.push(a.clone());
        for group in 0..g {
            let mut ab = a.clone();
            for (i, &j) in groups.iter().enumerate() {
                if j == group {
                    ab[i] = b[i];
                }
            }
            points.push(ab);
        }
        points.push(b);
    }
    Ok(points)
}

/// Refuses a Saltelli design, with `outputs` outputs per run and `resamples` bootstrap
/// resamples, beyond [`limits`]: the runs N·(d + 2), the numbers kept (the design's
/// N·(d + 2)·d coordinates and N·(d + 2)·outputs results) and the bootstrap's work.
///
/// # Errors
/// [`MethodError::TooLarge`].
pub fn check_design_size(
    d: usize,
    base_points: usize,
    outputs: usize,
    resamples: usize,
) -> Result<(), MethodError> {
    let runs = limits::product(&[base_points, d.saturating_add(2)]);
    limits::check(
        "model runs of the Sobol design, base points × (inputs + 2),",
        runs,
        limits::MAX_RUNS as u128,
    )?;
    limits::check(
        "numbers kept by the Sobol design, runs × (inputs + outputs),",
        runs.saturating_mul(d as u128 + outputs as u128),
        limits::MAX_KEPT as u128,
    )?;
    limits::check(
        "bootstrap resamples",
        resamples as u128,
        limits::MAX_RESAMPLES as u128,
    )?;
    limits::check(
        "bootstrap work, resamples × base points × outputs,",
        limits::product(&[resamples, base_points, outputs]),
        limits::MAX_BOOTSTRAP_WORK,
    )
}

/// The first-order and total-effect estimates from the base points `rows` (with repeats, for a
/// bootstrap resample) of outputs laid out per base point as A, AB(1) … AB(d), B. A base
/// point's AB outputs are adjacent, so each row is read in one piece and its d accumulations
/// run side by side; each accumulator still sums over the rows in their order.
fn estimate(y: &[f64], d: usize, rows: &[usize]) -> (Vec<f64>, Vec<f64>) {
    let step = d + 2;
    let m = rows.len() as f64;
    let (a, b) = (|r: usize| y[r * step], |r: usize| y[r * step + d + 1]);
    // One pass over the rows for every input; the population variance of [A; B] from its
    // mean and the sum of squared deviations, summed in row order.
    let mean = rows.iter().map(|&r| a(r) + b(r)).sum::<f64>() / (2.0 * m);
    let v = rows
        .iter()
        .map(|&r| (a(r) - mean) * (a(r) - mean) + (b(r) - mean) * (b(r) - mean))
        .sum::<f64>()
        / (2.0 * m);
    let (mut first, mut total) = (vec![0.0; d], vec![0.0; d]);
    for &r in rows {
        let (ar, br) = (a(r), b(r));
        let ab = &y[r * step + 1..r * step + 1 + d];
        for ((f, t), &x) in first.iter_mut().zip(&mut total).zip(ab) {
            *f += br * (x - ar);
            *t += (ar - x) * (ar - x);
        }
    }
    (
        first.into_iter().map(|f| f / m / v).collect(),
        total.into_iter().map(|t| 0.5 * t / m / v).collect(),
    )
}

/// Sobol' indices from model outputs `y` at the points of [`saltelli_design`] (or SALib's
/// `sobol.sample(calc_second_order=False)`), for `d` inputs; `resamples` bootstrap resamples
/// drawn from `seed`.
///
/// # Errors
/// An output count that is not a multiple of d + 2, fewer than 2 base points, non-finite
/// outputs, outputs without variance (overall, or in all but one resample), fewer than 2
/// resamples, or sizes beyond [`limits`].
pub fn sobol_indices(
    y: &[f64],
    d: usize,
    resamples: usize,
    seed: u64,
) -> Result<SobolIndices, MethodError> {
    let invalid = |reason: String| MethodError::InvalidParameter {
        method: "Sobol indices",
        reason,
    };
    if d == 0 || d >= y.len() || !y.len().is_multiple_of(d + 2) || y.len() / (d + 2) < 2 {
        return Err(invalid(format!(
            "{} outputs do not form at least 2 base points of {} evaluations",
            y.len(),
            d.saturating_add(2)
        )));
    }
    if let Some(k) = y.iter().position(|v| !v.is_finite()) {
        return Err(invalid(format!("output {k} is not finite")));
    }
    if resamples < 2 {
        return Err(invalid(format!(
            "{resamples} bootstrap resamples: a confidence interval needs at least 2"
        )));
    }
    check_design_size(d, y.len() / (d + 2), 1, resamples)?;
    // SALib standardises the outputs first.
    let mean = stats::mean(y).unwrap_or(0.0);
    let sd = stats::sd(y, mean, 0).unwrap_or(0.0);
    if sd == 0.0 {
        return Err(invalid("the outputs do not vary".to_owned()));
    }
    let standard: Vec<f64> = y.iter().map(|v| (v - mean) / sd).collect();
    let n = standard.len() / (d + 2);
    let all: Vec<usize> = (0..n).collect();
    let (first_order, total) = estimate(&standard, d, &all);
    if first_order.iter().chain(&total).any(|v| !v.is_finite()) {
        return Err(invalid(
            "the outputs at the design's A and B points do not vary, so no variance is \
             apportioned"
                .to_owned(),
        ));
    }
    // Resample k draws from its own ChaCha stream (seed, k), so resamples run in parallel with
    // the same bits as serially.
    let ks: Vec<u64> = (0..resamples as u64).collect();
    let estimates = crate::parallel::map(&ks, |&k| {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        rng.set_stream(k);
        let rows: Vec<usize> = (0..n).map(|_| rng.random_range(0..n)).collect();
        estimate(&standard, d, &rows)
    });
    let mut boot_first = vec![Vec::with_capacity(resamples); d];
    let mut boot_total = vec![Vec::with_capacity(resamples); d];
    // A resample drawing only base points whose A and B outputs agree has no variance to
    // apportion: it estimates nothing and is left out of the interval.
    for (f, t) in estimates
        .into_iter()
        .filter(|(f, t)| f.iter().chain(t).all(|v| v.is_finite()))
    {
        for i in 0..d {
            boot_first[i].push(f[i]);
            boot_total[i].push(t[i]);
        }
    }
    if boot_first.first().is_some_and(|b| b.len() < 2) {
        return Err(invalid(format!(
            "{n} base points: fewer than 2 of {resamples} bootstrap resamples have outputs that \
             vary; use more base points"
        )));
    }
    let half_width = |samples: &Vec<f64>| {
        let m = stats::mean(samples).unwrap_or(f64::NAN);
        1.959_963_984_540_054 * stats::sd(samples, m, 1).unwrap_or(f64::NAN)
    };
    Ok(SobolIndices {
        first_order,
        total,
        first_order_conf: boot_first.iter().map(half_width).collect(),
        total_conf: boot_total.iter().map(half_width).collect(),
    })
}

/// The seed of the bootstrap resamples that [`sobol_analysis`] and
/// [`crate::uncertainty::sensitivity`] derive from the seed of their design, so that the two
/// draw from different streams.
#[must_use]
pub fn bootstrap_seed(design_seed: u64) -> u64 {
    design_seed ^ 0x5EED
}

/// The points of Saltelli's design ([`saltelli_design`]) for inputs ranging over `ranges` (each
/// [lo, hi]): x = lo + u·(hi − lo) for each unit-cube coordinate u.
///
/// # Errors
/// No inputs, an empty or non-finite range, or fewer than 2 base points; a design beyond
/// [`limits`].
pub fn saltelli_points(
    ranges: &[(f64, f64)],
    n: usize,
    seed: u64,
) -> Result<Vec<Vec<f64>>, MethodError> {
    let own: Vec<usize> = (0..ranges.len()).collect();
    saltelli_points_groups(ranges, &own, n, seed)
}

/// [`saltelli_points`] for inputs in groups ([`saltelli_design_groups`]): `groups[i]` is input
/// i's group, numbered 0 … g − 1 in order of first appearance; the outputs' indices
/// ([`sobol_indices`] with g inputs) are the groups'.
///
/// # Errors
/// As [`saltelli_points`]; groups of another length than `ranges` or misnumbered.
pub fn saltelli_points_groups(
    ranges: &[(f64, f64)],
    groups: &[usize],
    n: usize,
    seed: u64,
) -> Result<Vec<Vec<f64>>, MethodError> {
    if ranges.is_empty()
        || n < 2
        || ranges
            .iter()
            .any(|(lo, hi)| !lo.is_finite() || !hi.is_finite() || lo >= hi)
    {
        return Err(MethodError::InvalidParameter {
            method: "Sobol analysis",
            reason:
                "give at least one input with a finite range lo < hi, and at least 2 base points"
                    .to_owned(),
        });
    }
    if groups.len() != ranges.len() {
        return Err(MethodError::InvalidParameter {
            method: "Sobol analysis",
            reason: format!("{} groups for {} inputs", groups.len(), ranges.len()),
        });
    }
    Ok(saltelli_design_groups(groups, n, seed)?
        .into_iter()
        .map(|u| {
            u.iter()
                .zip(ranges)
                .map(|(u, (lo, hi))| lo + u * (hi - lo))
                .collect()
        })
        .collect())
}

/// The indices of [`sobol_indices`] on the first N/8, N/4, N/2 and all N base points of the
/// outputs `y` (those with at least 2), to judge whether N is large enough.
///
/// # Errors
/// As [`sobol_indices`].
pub fn sobol_convergence(
    y: &[f64],
    d: usize,
    resamples: usize,
    seed: u64,
) -> Result<Convergence, MethodError> {
    let n = y.len() / d.saturating_add(2);
    if n < 2 {
        return Ok(Convergence {
            base_points: Vec::new(),
            indices: Vec::new(),
        });
    }
    sobol_indices_and_convergence(&y[..n * (d + 2)], d, resamples, seed)
        .map(|(_, convergence)| convergence)
}

/// [`sobol_indices`] of all the outputs `y` and their [`sobol_convergence`], the estimate on
/// all N base points (the last of the convergence) computed once.
///
/// # Errors
/// As [`sobol_indices`].
pub fn sobol_indices_and_convergence(
    y: &[f64],
    d: usize,
    resamples: usize,
    seed: u64,
) -> Result<(SobolIndices, Convergence), MethodError> {
    let indices = sobol_indices(y, d, resamples, seed)?;
    let step = d + 2;
    let n = y.len() / step;
    let mut base_points: Vec<usize> = [n / 8, n / 4, n / 2]
        .into_iter()
        .filter(|&m| m >= 2)
        .collect();
    let mut steps = base_points
        .iter()
        .map(|&m| sobol_indices(&y[..m * step], d, resamples, seed))
        .collect::<Result<Vec<_>, _>>()?;
    base_points.push(n);
    steps.push(indices.clone());
    Ok((
        indices,
        Convergence {
            base_points,
            indices: steps,
        },
    ))
}

/// The generic Sobol tool: draws Saltelli's design for the input `ranges` (each [lo, hi]) with
/// `n` base points, evaluates `model` at every point, and estimates the indices; also the
/// indices on the first N/8, N/4 and N/2 base points, as a convergence check.
///
/// # Errors
/// No inputs, an empty or non-finite range, fewer than 16 base points, or the errors of
/// [`sobol_indices`] (for example a model returning non-finite values).
pub fn sobol_analysis(
    ranges: &[(f64, f64)],
    n: usize,
    resamples: usize,
    seed: u64,
    model: impl Fn(&[f64]) -> f64 + Sync,
) -> Result<(SobolIndices, Convergence), MethodError> {
    if n < 16 {
        return Err(MethodError::InvalidParameter {
            method: "Sobol analysis",
            reason:
                "give at least one input with a finite range lo < hi, and at least 16 base points"
                    .to_owned(),
        });
    }
    check_design_size(ranges.len(), n, 1, resamples)?;
    let points = saltelli_points(ranges, n, seed)?;
    let y = crate::parallel::map(&points, |x| model(x));
    sobol_indices_and_convergence(&y, ranges.len(), resamples, bootstrap_seed(seed))
}
