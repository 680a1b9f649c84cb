//! Weights derived from the data.

use crate::error::MethodError;
use crate::mcda::DecisionMatrix;
use crate::stats;

fn normalised(w: Vec<f64>, method: &'static str) -> Result<Vec<f64>, MethodError> {
    let total: f64 = w.iter().sum();
    if total > 0.0 && total.is_finite() {
        Ok(w.into_iter().map(|v| v / total).collect())
    } else {
        Err(MethodError::InvalidParameter {
            method,
            reason: "every criterion carries zero information".to_owned(),
        })
    }
}

fn needs_complete(m: &DecisionMatrix, method: &'static str) -> Result<(), MethodError> {
    if m.alternatives.len() < 2 {
        return Err(MethodError::TooFewAlternatives {
            method,
            needed: 2,
            found: m.alternatives.len(),
        });
    }
    for (c, col) in m.columns.iter().enumerate() {
        if let Some(r) = col.iter().position(|v| v.is_nan()) {
            return Err(MethodError::MissingValue {
                method,
                criterion: m.criteria[c].clone(),
                alternative: m.alternatives[r].clone(),
            });
        }
    }
    Ok(())
}

fn constant(m: &DecisionMatrix, method: &'static str) -> Result<(), MethodError> {
    for (x, id) in m.columns.iter().zip(&m.criteria) {
        let (lo, hi) = stats::min_max(x).unwrap_or((0.0, 0.0));
        if lo == hi {
            return Err(MethodError::DegenerateCriterion {
                method,
                criterion: id.clone(),
                reason: "is constant, so it carries no information",
            });
        }
    }
    Ok(())
}

/// Equal weights 1/m.
#[must_use]
pub fn equal(m: &DecisionMatrix) -> Vec<f64> {
    let k = m.criteria.len() as f64;
    vec![1.0 / k; m.criteria.len()]
}

/// Entropy weights: p = x/Σx per criterion, E = −Σ p ln p / ln n (0 ln 0 = 0), weight ∝ 1 − E.
///
/// # Errors
/// Missing or negative values, fewer than two alternatives, a constant criterion.
pub fn entropy(m: &DecisionMatrix) -> Result<Vec<f64>, MethodError> {
    needs_complete(m, "entropy")?;
    constant(m, "entropy")?;
    let ln_n = libm::log(m.alternatives.len() as f64);
    let mut d = Vec::with_capacity(m.columns.len());
    for (x, id) in m.columns.iter().zip(&m.criteria) {
        if x.iter().any(|&v| v < 0.0) {
            return Err(MethodError::DegenerateCriterion {
                method: "entropy",
                criterion: id.clone(),
                reason: "has negative values",
            });
        }
        let total: f64 = x.iter().sum();
        let e: f64 = -x
            .iter()
            .map(|&v| {
                let p = v / total;
                if p > 0.0 { p * libm::log(p) } else { 0.0 }
            })
            .sum::<f64>()
            / ln_n;
        d.push(1.0 - e);
    }
    normalised(d, "entropy")
}

fn critic_with(
    m: &DecisionMatrix,
    aware: bool,
    method: &'static str,
) -> Result<Vec<f64>, MethodError> {
    needs_complete(m, method)?;
    constant(m, method)?;
    // Min-max scaling is affine, reversed for costs when direction-aware: it divides each
    // standard deviation by the range and leaves correlations unchanged up to the sign of the
    // two criteria. So both come from the raw columns. With complete data, Pearson's r of two
    // columns is the dot product of their centred, unit-length versions.
    let sign = |d: crate::framework::Direction| if aware { d.sign() } else { 1.0 };
    let per_column = crate::parallel::map(&m.columns, |x| {
        let mean = stats::mean(x).unwrap_or(0.0);
        let (lo, hi) = stats::min_max(x).unwrap_or((0.0, 1.0));
        let mut unit: Vec<f64> = x.iter().map(|v| v - mean).collect();
        let norm = stats::dot(&unit, &unit).sqrt();
        let sd = norm / (x.len() as f64).sqrt() / (hi - lo);
        for v in &mut unit {
            *v /= norm;
        }
        (unit, sd)
    });
    let (unit, sd): (Vec<Vec<f64>>, Vec<f64>) = per_column.into_iter().unzip();
    let k = unit.len();
    let r = stats::gram(&unit);
    let conflict: Vec<f64> = (0..k)
        .map(|j| {
            (0..k)
                .filter(|&l| l != j)
                .map(|l| 1.0 - sign(m.directions[j]) * sign(m.directions[l]) * r[j][l])
                .sum()
        })
        .collect();
    let c = sd.iter().zip(&conflict).map(|(s, q)| s * q).collect();
    normalised(c, method)
}

/// CRITIC weights, direction-aware (Diakoulaki et al. 1995, as scikit-criteria): each criterion
/// is min-max scaled with costs reversed; weight ∝ σ·Σₖ(1 − rⱼₖ), with σ the population standard
/// deviation and r the Pearson correlations of the scaled criteria.
///
/// # Errors
/// Missing values, fewer than two alternatives, a constant criterion.
pub fn critic(m: &DecisionMatrix) -> Result<Vec<f64>, MethodError> {
    critic_with(m, true, "CRITIC")
}

/// CRITIC as pymcdm and pyrepo-mcda compute it: costs are *not* reversed before scaling, so a
/// cost criterion's conflict with the benefits is read with the wrong sign. Offered to reproduce
/// those libraries; prefer [`critic`].
///
/// # Errors
/// As [`critic`].
pub fn critic_direction_blind(m: &DecisionMatrix) -> Result<Vec<f64>, MethodError> {
    critic_with(m, false, "CRITIC (direction-blind)")
}

/// Standard-deviation weights: weight ∝ σ of each raw criterion (scale-dependent by design).
///
/// # Errors
/// Missing values, fewer than two alternatives, a constant criterion.
pub fn standard_deviation(m: &DecisionMatrix) -> Result<Vec<f64>, MethodError> {
    needs_complete(m, "standard deviation")?;
    constant(m, "standard deviation")?;
    let sd = m
        .columns
        .iter()
        .map(|c| stats::sd(c, stats::mean(c).unwrap_or(0.0), 0).unwrap_or(0.0))
        .collect();
    normalised(sd, "standard deviation")
}

/// MEREC (Keshavarz-Ghorabaee et al. 2021): with n = min/x for benefits and x/max for costs,
/// S = ln(1 + mean|ln n|) over all criteria and Sⱼ the same without criterion j; weight ∝
/// Σ|Sⱼ − S| over the alternatives.
///
/// # Errors
/// Missing or non-positive values, fewer than two alternatives.
pub fn merec(m: &DecisionMatrix) -> Result<Vec<f64>, MethodError> {
    needs_complete(m, "MEREC")?;
    let mut n = Vec::with_capacity(m.columns.len());
    for ((x, &d), id) in m.columns.iter().zip(&m.directions).zip(&m.criteria) {
        let (lo, hi) = stats::min_max(x).unwrap_or((0.0, 0.0));
        if lo <= 0.0 {
            return Err(MethodError::DegenerateCriterion {
                method: "MEREC",
                criterion: id.clone(),
                reason: "has values of zero or less",
            });
        }
        n.push(
            x.iter()
                .map(|&v| match d {
                    crate::framework::Direction::Positive => lo / v,
                    crate::framework::Direction::Negative => v / hi,
                })
                .map(|v| libm::log(v).abs())
                .collect::<Vec<f64>>(),
        );
    }
    let k = n.len() as f64;
    let rows = m.alternatives.len();
    let overall: Vec<f64> = (0..rows)
        .map(|r| libm::log(1.0 + n.iter().map(|c| c[r]).sum::<f64>() / k))
        .collect();
    let effects = (0..n.len())
        .map(|j| {
            (0..rows)
                .map(|r| {
                    let without: f64 = n
                        .iter()
                        .enumerate()
                        .filter(|(l, _)| *l != j)
                        .map(|(_, c)| c[r])
                        .sum();
                    (libm::log(1.0 + without / k) - overall[r]).abs()
                })
                .sum()
        })
        .collect();
    normalised(effects, "MEREC")
}
