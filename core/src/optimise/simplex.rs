//! Derivative-free minimisers for the optimised weights: the Nelder–Mead simplex (Nelder &
//! Mead 1965; coefficients 1, 2, ½, ½) run to convergence, with restarts, and R's `optim`
//! Nelder–Mead (J. C. Nash, *Compact Numerical Methods for Computers*, 2nd ed. 1990, Algorithm
//! 19, as `nmmin` in R's `src/appl/optim.c`) step for step, for COINr's numbers.

use crate::error::{Error, MethodError};

/// How many times [`restarted_nelder_mead`] restarts the simplex from its best point.
const RESTARTS: usize = 5;

/// The value R's `nmmin` gives a point where the function is not finite.
const R_BIG: f64 = 1.0e35;

/// [`nelder_mead`] restarted from its best point, up to [`RESTARTS`] times, while that still
/// improves: a simplex in several dimensions can collapse before the optimum (Press et al.,
/// Numerical Recipes, §10.5). `max_iterations` bounds all runs together.
pub(super) fn restarted_nelder_mead(
    start: &[f64],
    f: impl Fn(&[f64]) -> Result<f64, Error> + Copy,
    max_iterations: usize,
) -> Result<(Vec<f64>, usize), Error> {
    let (mut best, mut iterations) = nelder_mead(start, f, max_iterations)?;
    let mut value = f(&best)?;
    for _ in 0..RESTARTS {
        if iterations >= max_iterations {
            break;
        }
        let (again, used) = nelder_mead(&best, f, max_iterations - iterations)?;
        iterations += used;
        let again_value = f(&again)?;
        // (The objectives here are never NaN.)
        if again_value >= value - 1e-12 * value.abs() {
            break;
        }
        (best, value) = (again, again_value);
    }
    Ok((best, iterations))
}

/// Nelder–Mead minimisation of `f` from `start` (initial simplex: each coordinate scaled by
/// 1.1, or set to 0.1 if zero), stopping when the simplex's values agree to 1e-12 (relative) or
/// after `max_iterations`. Returns the best point and the iterations used.
pub(super) fn nelder_mead(
    start: &[f64],
    f: impl Fn(&[f64]) -> Result<f64, Error>,
    max_iterations: usize,
) -> Result<(Vec<f64>, usize), Error> {
    let k = start.len();
    let start = start.to_vec();
    let mut simplex: Vec<(Vec<f64>, f64)> = Vec::with_capacity(k + 1);
    simplex.push((start.clone(), f(&start)?));
    for j in 0..k {
        let mut v = start.clone();
        v[j] = if v[j] == 0.0 { 0.1 } else { v[j] * 1.1 };
        let value = f(&v)?;
        simplex.push((v, value));
    }
    let mut iterations = 0;
    while iterations < max_iterations {
        simplex.sort_by(|a, b| a.1.total_cmp(&b.1));
        if simplex[k].1 - simplex[0].1 <= 1e-12 * (1.0 + simplex[0].1.abs()) {
            break;
        }
        iterations += 1;
        let centroid: Vec<f64> = (0..k)
            .map(|j| simplex[..k].iter().map(|p| p.0[j]).sum::<f64>() / k as f64)
            .collect();
        let along = |t: f64| -> Vec<f64> {
            (0..k)
                .map(|j| centroid[j] + t * (simplex[k].0[j] - centroid[j]))
                .collect()
        };
        let reflected = along(-1.0);
        let fr = f(&reflected)?;
        if fr < simplex[0].1 {
            let expanded = along(-2.0);
            let fe = f(&expanded)?;
            simplex[k] = if fe < fr {
                (expanded, fe)
            } else {
                (reflected, fr)
            };
        } else if fr < simplex[k - 1].1 {
            simplex[k] = (reflected, fr);
        } else {
            let contracted = along(0.5);
            let fc = f(&contracted)?;
            if fc < simplex[k].1 {
                simplex[k] = (contracted, fc);
            } else {
                let best = simplex[0].0.clone();
                for p in simplex.iter_mut().skip(1) {
                    p.0 = (0..k).map(|j| best[j] + 0.5 * (p.0[j] - best[j])).collect();
                    p.1 = f(&p.0)?;
                }
            }
        }
    }
    simplex.sort_by(|a, b| a.1.total_cmp(&b.1));
    Ok((simplex.swap_remove(0).0, iterations))
}

/// R's `optim(par, fn, method = "Nelder-Mead", control = list(reltol, maxit))`, step for step:
/// the same simplex (`start` plus 0.1 × its largest absolute coordinate on each coordinate in
/// turn), the same reflection (1), contraction (½), expansion (2) and shrink, the same order of
/// evaluations and tie-breaking, the same stop — the simplex's values within
/// `reltol · (|f(start)| + reltol)` of each other, more than `maxit` evaluations, or a shrink
/// that does not shrink — and the same 1e35 for a value that is not finite (R's `abstol` is
/// −∞ by default, so never stops it). Returns the best point and the number of evaluations.
#[allow(
    clippy::too_many_lines,
    clippy::needless_range_loop,
    reason = "a transcription of R's nmmin, kept in its index form to be read against the C"
)]
pub(super) fn r_nelder_mead(
    start: &[f64],
    f: impl Fn(&[f64]) -> Result<f64, Error>,
    reltol: f64,
    maxit: usize,
) -> Result<(Vec<f64>, usize), Error> {
    let (alpha, beta, gamma) = (1.0, 0.5, 2.0);
    let finite = |v: f64| if v.is_finite() { v } else { R_BIG };
    let n = start.len();
    let mut point = start.to_vec();
    if maxit == 0 {
        return Ok((point, 0));
    }
    let first = f(&point)?;
    if !first.is_finite() {
        // R stops here too: "function cannot be evaluated at initial parameters".
        return Err(MethodError::InvalidParameter {
            method: "optimised weights",
            reason: "the objective cannot be evaluated at the start".into(),
        }
        .into());
    }
    let mut evaluations = 1;
    let convtol = reltol * (first.abs() + reltol);
    let (mut p, size) = r_initial_simplex(&point, first);
    let mut l = 0;
    let mut oldsize = size;
    let mut calcvert = true;
    let c = n + 1;
    loop {
        if calcvert {
            for j in 0..=n {
                if j != l {
                    for i in 0..n {
                        point[i] = p[i][j];
                    }
                    p[n][j] = finite(f(&point)?);
                    evaluations += 1;
                }
            }
            calcvert = false;
        }
        let mut vl = p[n][l];
        let mut vh = vl;
        let mut h = l;
        for j in 0..=n {
            if j != l {
                let value = p[n][j];
                if value < vl {
                    l = j;
                    vl = value;
                }
                if value > vh {
                    h = j;
                    vh = value;
                }
            }
        }
        if vh <= vl + convtol {
            break;
        }
        for i in 0..n {
            let mut temp = -p[i][h];
            for j in 0..=n {
                temp += p[i][j];
            }
            p[i][c] = temp / n as f64;
        }
        for i in 0..n {
            point[i] = (1.0 + alpha) * p[i][c] - alpha * p[i][h];
        }
        let vr = finite(f(&point)?);
        evaluations += 1;
        if vr < vl {
            p[n][c] = vr;
            for i in 0..n {
                let expanded = gamma * point[i] + (1.0 - gamma) * p[i][c];
                p[i][c] = point[i];
                point[i] = expanded;
            }
            let value = finite(f(&point)?);
            evaluations += 1;
            if value < vr {
                for i in 0..n {
                    p[i][h] = point[i];
                }
                p[n][h] = value;
            } else {
                for i in 0..n {
                    p[i][h] = p[i][c];
                }
                p[n][h] = vr;
            }
        } else {
            if vr < vh {
                for i in 0..n {
                    p[i][h] = point[i];
                }
                p[n][h] = vr;
            }
            for i in 0..n {
                point[i] = (1.0 - beta) * p[i][h] + beta * p[i][c];
            }
            let value = finite(f(&point)?);
            evaluations += 1;
            if value < p[n][h] {
                for i in 0..n {
                    p[i][h] = point[i];
                }
                p[n][h] = value;
            } else if vr >= vh {
                calcvert = true;
                let size = r_shrink(&mut p, l, beta);
                if size < oldsize {
                    oldsize = size;
                } else {
                    break;
                }
            }
        }
        if evaluations > maxit {
            break;
        }
    }
    Ok(((0..n).map(|i| p[i][l]).collect(), evaluations))
}

/// R's first simplex: `start` (its value `first`) and, for each coordinate in turn, `start`
/// moved on it by 0.1 × its largest absolute coordinate (0.1 if all are 0), the step grown ten
/// times until the coordinate changes. Columns 0..=n are the vertices, column n + 1 the
/// centroid; row n holds the values. Returns the matrix and R's size of the simplex.
#[allow(clippy::needless_range_loop, reason = "R's nmmin, in its index form")]
fn r_initial_simplex(start: &[f64], first: f64) -> (Vec<Vec<f64>>, f64) {
    let n = start.len();
    let mut p = vec![vec![0.0; n + 2]; n + 1];
    p[n][0] = first;
    for i in 0..n {
        p[i][0] = start[i];
    }
    let mut step = 0.0;
    for &v in start {
        if 0.1 * v.abs() > step {
            step = 0.1 * v.abs();
        }
    }
    if step == 0.0 {
        step = 0.1;
    }
    let mut size = 0.0;
    for j in 1..=n {
        for i in 0..n {
            p[i][j] = start[i];
        }
        let mut trystep = step;
        while p[j - 1][j] == start[j - 1] {
            p[j - 1][j] = start[j - 1] + trystep;
            trystep *= 10.0;
        }
        size += trystep;
    }
    (p, size)
}

/// R's shrink towards the best vertex `l` by `beta`; returns the new size Σ |vertex − best|.
#[allow(clippy::needless_range_loop, reason = "R's nmmin, in its index form")]
fn r_shrink(p: &mut [Vec<f64>], l: usize, beta: f64) -> f64 {
    let n = p.len() - 1;
    let mut size = 0.0;
    for j in 0..=n {
        if j != l {
            for i in 0..n {
                p[i][j] = beta * (p[i][j] - p[i][l]) + p[i][l];
                size += (p[i][j] - p[i][l]).abs();
            }
        }
    }
    size
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Rosenbrock's function from R's `?optim` example: `optim(c(-1.2, 1), fr)` (reltol 1e-8,
    /// maxit 500) gives par 1.000260 1.000506, value 8.825241e-08, counts 195 (R 4.x).
    #[test]
    fn r_nelder_mead_reproduces_optims_rosenbrock_example() {
        let rosenbrock = |x: &[f64]| -> Result<f64, Error> {
            Ok(100.0 * (x[1] - x[0] * x[0]).powi(2) + (1.0 - x[0]).powi(2))
        };
        let (x, evaluations) = r_nelder_mead(&[-1.2, 1.0], rosenbrock, 1e-8, 500).unwrap();
        assert_eq!(evaluations, 195);
        assert!(
            (x[0] - 1.000_260).abs() < 5e-7 && (x[1] - 1.000_506).abs() < 5e-7,
            "{x:?}"
        );
        assert!((rosenbrock(&x).unwrap() - 8.825_241e-8).abs() < 5e-14);
    }
}
