//! Weighted means of one unit's children: arithmetic, geometric, harmonic and generalised.

use super::Aggregation;

/// The values a mean accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Domain {
    /// Strictly positive values (geometric and harmonic means, negative exponents).
    Positive,
    /// Values of zero or more (power means with a positive exponent).
    NonNegative,
}

impl Domain {
    /// The requirement in words.
    #[must_use]
    pub fn requirement(self) -> &'static str {
        match self {
            Domain::Positive => "positive values",
            Domain::NonNegative => "values of zero or more",
        }
    }
}

/// The weighted mean of the present values of `x` (one unit's children), skipping `NaN`s and
/// renormalising the weights of the values present; `NaN` when none is present or their weights
/// sum to zero. Sums run in child order; `ln`, `exp` and `pow` come from `libm`, so every
/// platform gets the same bits.
///
/// - arithmetic: Σ wᵢxᵢ / Σ wᵢ
/// - geometric: exp(Σ wᵢ ln xᵢ / Σ wᵢ)
/// - harmonic: Σ wᵢ / Σ (wᵢ/xᵢ)
/// - generalised with exponent p: (Σ wᵢxᵢᵖ / Σ wᵢ)^(1/p)
///
/// Copeland and the MCDA methods are not per-unit means; they yield `NaN` here.
///
/// # Errors
/// The position of the first present value outside the method's [`Domain`], and the domain.
pub fn weighted_mean(method: Aggregation, x: &[f64], w: &[f64]) -> Result<f64, (usize, Domain)> {
    if let Some(d) = domain(method)
        && let Some(c) = x.iter().position(|&v| !v.is_nan() && !d.admits(v))
    {
        return Err((c, d));
    }
    let mut sw = 0.0;
    let mut acc = 0.0;
    for (&v, &wi) in x.iter().zip(w) {
        if !v.is_nan() {
            sw += wi;
            acc += term(method, wi, v);
        }
    }
    Ok(finish(method, acc, sw))
}

/// The values `method` accepts, if restricted.
pub(crate) fn domain(method: Aggregation) -> Option<Domain> {
    match method {
        Aggregation::GeometricMean | Aggregation::HarmonicMean => Some(Domain::Positive),
        Aggregation::GeneralisedMean { p } if p < 0.0 => Some(Domain::Positive),
        Aggregation::GeneralisedMean { .. } => Some(Domain::NonNegative),
        _ => None,
    }
}

impl Domain {
    pub(crate) fn admits(self, x: f64) -> bool {
        match self {
            Domain::Positive => x > 0.0,
            Domain::NonNegative => x >= 0.0,
        }
    }
}

/// One child's contribution to the running sum: wx, w ln x, w/x or w xᵖ.
#[inline]
pub(crate) fn term(method: Aggregation, w: f64, x: f64) -> f64 {
    match method {
        Aggregation::ArithmeticMean => w * x,
        Aggregation::GeometricMean => w * libm::log(x),
        Aggregation::HarmonicMean => w / x,
        Aggregation::GeneralisedMean { p } => w * libm::pow(x, p),
        _ => f64::NAN,
    }
}

/// The mean from the running sum and the sum of the weights present; `NaN` when none is.
#[inline]
pub(crate) fn finish(method: Aggregation, acc: f64, sw: f64) -> f64 {
    if sw == 0.0 {
        return f64::NAN;
    }
    match method {
        Aggregation::ArithmeticMean => acc / sw,
        Aggregation::GeometricMean => libm::exp(acc / sw),
        Aggregation::HarmonicMean => sw / acc,
        Aggregation::GeneralisedMean { p } => libm::pow(acc / sw, 1.0 / p),
        _ => f64::NAN,
    }
}

/// The mean of one unit's present children recomputed on rescaled numbers, for a unit whose
/// plain sums left the finite range (a weight or value near 1.8e308, a power with a large
/// exponent, a reciprocal of a value near 1e-310). Every mean here is homogeneous of degree one
/// in the values and of degree zero in the weights, so with m the largest magnitude (the least
/// value for the harmonic mean and negative exponents) and w̄ the largest weight,
/// M(x; w) = m · M(x/m; w/w̄): the rescaled values lie in [−1, 1] (or [1, ∞) with powers and
/// reciprocals that cannot exceed 1), so the sums stay finite. Used only where the plain form
/// failed, so the bits of every finite result are unchanged. `None` when no child is present
/// with a positive weight.
pub(crate) fn rescaled(method: Aggregation, x: &[f64], w: &[f64]) -> Option<f64> {
    let present = || x.iter().zip(w).filter(|&(v, wi)| !v.is_nan() && *wi > 0.0);
    let top = present().map(|(_, &wi)| wi).fold(0.0, f64::max);
    if top == 0.0 {
        return None;
    }
    let m = match method {
        Aggregation::HarmonicMean => present().map(|(&v, _)| v).fold(f64::INFINITY, f64::min),
        Aggregation::GeneralisedMean { p } if p < 0.0 => {
            present().map(|(&v, _)| v).fold(f64::INFINITY, f64::min)
        }
        Aggregation::GeometricMean => 1.0,
        _ => present().map(|(&v, _)| v.abs()).fold(0.0, f64::max),
    };
    if m == 0.0 {
        // Every present value is zero: so is every mean of them.
        return Some(0.0);
    }
    let (mut acc, mut sw) = (0.0, 0.0);
    for (&v, &wi) in present() {
        let wi = wi / top;
        sw += wi;
        acc += term(method, wi, v / m);
    }
    Some(m * finish(method, acc, sw))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn domains_are_enforced() {
        let w = [1.0, 1.0];
        assert_eq!(
            weighted_mean(Aggregation::GeometricMean, &[1.0, 0.0], &w),
            Err((1, Domain::Positive))
        );
        assert_eq!(
            weighted_mean(Aggregation::HarmonicMean, &[-1.0, 2.0], &w),
            Err((0, Domain::Positive))
        );
        let huge = [1e308, 1e308, 1e308, 1e308];
        assert_eq!(
            rescaled(Aggregation::ArithmeticMean, &[1.0, 3.0, 5.0, 7.0], &huge),
            Some(4.0)
        );
        let p400 = Aggregation::GeneralisedMean { p: 400.0 };
        let m = rescaled(p400, &[100.0, 0.0, 50.0], &[1.0, 1.0, 1.0]).unwrap();
        assert!(m.is_finite() && m < 100.0 && m > 99.0, "{m}");
        let m = rescaled(
            Aggregation::GeneralisedMean { p: -400.0 },
            &[100.0, 1.0],
            &[1.0, 1.0],
        )
        .unwrap();
        assert!(m.is_finite() && m > 1.0 && m < 1.01, "{m}");
        assert!(
            weighted_mean(Aggregation::ArithmeticMean, &[f64::NAN, f64::NAN], &w)
                .unwrap()
                .is_nan()
        );
    }
}
