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
        assert!(
            weighted_mean(Aggregation::ArithmeticMean, &[f64::NAN, f64::NAN], &w)
                .unwrap()
                .is_nan()
        );
    }
}
