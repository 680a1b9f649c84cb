//! Correlation coefficients over the pairs where both values are present (R's
//! `use = "pairwise.complete.obs"`).

use crate::rank::{Order, TieRule, rank_into};

fn complete_pairs(x: &[f64], y: &[f64]) -> (Vec<f64>, Vec<f64>) {
    x.iter()
        .zip(y)
        .filter(|(a, b)| !a.is_nan() && !b.is_nan())
        .map(|(a, b)| (*a, *b))
        .unzip()
}

/// Pearson's r; `NaN` with fewer than two complete pairs or no spread.
#[must_use]
pub fn pearson(x: &[f64], y: &[f64]) -> f64 {
    let (x, y) = complete_pairs(x, y);
    let n = x.len() as f64;
    if x.len() < 2 {
        return f64::NAN;
    }
    let (mx, my) = (x.iter().sum::<f64>() / n, y.iter().sum::<f64>() / n);
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (a, b) in x.iter().zip(&y) {
        sxy += (a - mx) * (b - my);
        sxx += (a - mx) * (a - mx);
        syy += (b - my) * (b - my);
    }
    // Undefined (missing) for a constant column, as R's `cor` gives `NA`.
    if sxx == 0.0 || syy == 0.0 || !(sxx.is_finite() && syy.is_finite() && sxy.is_finite()) {
        return f64::NAN;
    }
    let product = sxx * syy;
    if product.is_finite() {
        sxy / product.sqrt()
    } else {
        // The square roots taken apart, where their product overflows.
        sxy / (sxx.sqrt() * syy.sqrt())
    }
}

/// Spearman's ρ: Pearson's r of the average ranks of the complete pairs.
#[must_use]
pub fn spearman(x: &[f64], y: &[f64]) -> f64 {
    let (x, y) = complete_pairs(x, y);
    let mut rx = vec![0.0; x.len()];
    let mut ry = vec![0.0; y.len()];
    rank_into(&x, Order::Ascending, TieRule::Average, &mut rx);
    rank_into(&y, Order::Ascending, TieRule::Average, &mut ry);
    pearson(&rx, &ry)
}

/// Kendall's τ-b (R's `cor(method = "kendall")`): (C − D)/√((n₀ − n₁)(n₀ − n₂)), with ties
/// counted in n₁ and n₂. O(n²).
#[must_use]
pub fn kendall(x: &[f64], y: &[f64]) -> f64 {
    let (x, y) = complete_pairs(x, y);
    let n = x.len();
    let (mut s, mut tx, mut ty, mut pairs) = (0.0, 0.0, 0.0, 0.0);
    for i in 0..n {
        for j in i + 1..n {
            let (a, b) = ((x[i] - x[j]).signum(), (y[i] - y[j]).signum());
            let (a, b) = (
                if x[i] == x[j] { 0.0 } else { a },
                if y[i] == y[j] { 0.0 } else { b },
            );
            s += a * b;
            tx += f64::from(u8::from(a == 0.0));
            ty += f64::from(u8::from(b == 0.0));
            pairs += 1.0;
        }
    }
    s / ((pairs - tx) * (pairs - ty)).sqrt()
}

/// A correlation coefficient.
#[cfg_attr(feature = "typescript", derive(tsify::Tsify), tsify(hashmap_as_object))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CorrelationMethod {
    /// Pearson's r.
    #[default]
    Pearson,
    /// Spearman's ρ.
    Spearman,
    /// Kendall's τ-b.
    Kendall,
}

impl CorrelationMethod {
    /// The coefficient of two columns over their complete pairs.
    #[must_use]
    pub fn between(self, x: &[f64], y: &[f64]) -> f64 {
        match self {
            CorrelationMethod::Pearson => pearson(x, y),
            CorrelationMethod::Spearman => spearman(x, y),
            CorrelationMethod::Kendall => kendall(x, y),
        }
    }
}

/// The correlation matrix of the columns (pairwise complete observations), row-major.
#[must_use]
pub fn correlation_matrix(columns: &[&[f64]], method: CorrelationMethod) -> Vec<Vec<f64>> {
    let k = columns.len();
    let mut m = vec![vec![1.0; k]; k];
    for i in 0..k {
        for j in 0..i {
            let r = method.between(columns[i], columns[j]);
            m[i][j] = r;
            m[j][i] = r;
        }
    }
    m
}

/// Cronbach's α = k/(k − 1)·(1 − Σ var(xᵢ)/var(Σxᵢ)) over the rows where every column is present,
/// with sample variances (COINr's `get_cronbach`). Missing (`NaN`) with fewer than two columns
/// or rows, or when the rows' totals do not vary (α would be −∞).
#[must_use]
pub fn cronbach_alpha(columns: &[&[f64]]) -> f64 {
    let k = columns.len();
    let Some(first) = columns.first() else {
        return f64::NAN;
    };
    let rows: Vec<usize> = (0..first.len())
        .filter(|&r| columns.iter().all(|c| !c[r].is_nan()))
        .collect();
    if k < 2 || rows.len() < 2 {
        return f64::NAN;
    }
    let variance = |v: &[f64]| {
        let mean = crate::stats::mean(v).unwrap_or(0.0);
        crate::stats::sd(v, mean, 1).map_or(f64::NAN, |s| s * s)
    };
    let items: f64 = columns
        .iter()
        .map(|c| variance(&rows.iter().map(|&r| c[r]).collect::<Vec<_>>()))
        .sum();
    let totals: Vec<f64> = rows
        .iter()
        .map(|&r| columns.iter().map(|c| c[r]).sum())
        .collect();
    let total = variance(&totals);
    if !(total > 0.0 && total.is_finite() && items.is_finite()) {
        // The totals do not vary (or their variance leaves the finite range): α is undefined.
        return f64::NAN;
    }
    let kf = k as f64;
    kf / (kf - 1.0) * (1.0 - items / total)
}
