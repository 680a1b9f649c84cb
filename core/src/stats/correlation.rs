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

/// Pearson's r = Σ(x − x̄)(y − ȳ) / √(Σ(x − x̄)² Σ(y − ȳ)²); `NaN` with fewer than two complete
/// pairs or no spread. Where these sums leave the normal range (values near ±1.7e308 overflow
/// them, spreads near 1e-160 underflow them), r is computed again on each column divided by its
/// largest magnitude, which leaves r unchanged and the sums normal.
#[must_use]
pub fn pearson(x: &[f64], y: &[f64]) -> f64 {
    let (x, y) = complete_pairs(x, y);
    // Undefined (missing) for a constant column, as R's `cor` gives `NA` (tested exactly: a
    // mean rounded off the constant would leave a spread of rounding errors).
    if x.len() < 2 || is_constant(&x) || is_constant(&y) {
        return f64::NAN;
    }
    pearson_of(&x, &y).unwrap_or_else(|| {
        let (x, y) = (unit_scaled(&x), unit_scaled(&y));
        pearson_of(&x, &y).unwrap_or(f64::NAN)
    })
}

/// Pearson's r of complete pairs, or `None` where a sum is zero or not a normal number.
fn pearson_of(x: &[f64], y: &[f64]) -> Option<f64> {
    let n = x.len() as f64;
    let (mx, my) = (x.iter().sum::<f64>() / n, y.iter().sum::<f64>() / n);
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (a, b) in x.iter().zip(y) {
        sxy += (a - mx) * (b - my);
        sxx += (a - mx) * (a - mx);
        syy += (b - my) * (b - my);
    }
    let product = sxx * syy;
    // Within [−1, 1], as numpy's `corrcoef` clips it: rounding in nearly constant columns can
    // take the quotient a few ulps beyond.
    (product.is_normal() && sxy.is_finite()).then(|| (sxy / product.sqrt()).clamp(-1.0, 1.0))
}

fn is_constant(values: &[f64]) -> bool {
    values.iter().all(|v| *v == values[0])
}

/// `values` divided by their largest magnitude (as they are if that is zero or not finite).
fn unit_scaled(values: &[f64]) -> Vec<f64> {
    let largest = values.iter().fold(0.0_f64, |m, v| m.max(v.abs()));
    if largest > 0.0 && largest.is_finite() {
        values.iter().map(|v| v / largest).collect()
    } else {
        values.to_vec()
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
/// or rows, or when the rows' totals do not vary (α would be −∞). Where the variances leave the
/// normal range, α is computed again on the columns divided by their largest magnitude (the
/// same α).
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
    let complete: Vec<Vec<f64>> = columns
        .iter()
        .map(|c| rows.iter().map(|&r| c[r]).collect())
        .collect();
    if complete.iter().all(|c| is_constant(c)) {
        // No item varies, so neither do the totals (whatever rounding says): undefined.
        return f64::NAN;
    }
    alpha_of(&complete).unwrap_or_else(|| {
        // The variances left the normal range: α of the columns divided by their largest
        // magnitude is the same α, from normal numbers.
        let largest = complete
            .iter()
            .flatten()
            .fold(0.0_f64, |m, v| m.max(v.abs()));
        let scaled: Vec<Vec<f64>> = complete
            .iter()
            .map(|c| c.iter().map(|v| v / largest).collect())
            .collect();
        // Still nothing: the totals do not vary, and α is undefined.
        alpha_of(&scaled).unwrap_or(f64::NAN)
    })
}

/// α of complete columns, or `None` where the items' or the totals' variance is not a normal
/// number (or α would not be finite).
fn alpha_of(columns: &[Vec<f64>]) -> Option<f64> {
    let variance = |v: &[f64]| {
        let mean = super::mean(v).unwrap_or(0.0);
        super::sd(v, mean, 1).map_or(f64::NAN, |s| s * s)
    };
    let items: f64 = columns.iter().map(|c| variance(c)).sum();
    let totals: Vec<f64> = (0..columns[0].len())
        .map(|r| columns.iter().map(|c| c[r]).sum())
        .collect();
    let total = variance(&totals);
    if !(total.is_normal() && (items.is_normal() || items == 0.0)) {
        return None;
    }
    let k = columns.len() as f64;
    // At most 1 (Σ var(xᵢ) ≥ var(Σxᵢ)/k), which rounding may not keep.
    Some((k / (k - 1.0) * (1.0 - items / total)).min(1.0)).filter(|a| a.is_finite())
}
