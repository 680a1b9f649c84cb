//! Exact floating-point sums whose bits do not depend on the order of the values or on how
//! they were split: the foundation for statistics merged from partitions (one machine or many)
//! that must give the same bits however the data were divided.
//!
//! [`ExactSum`] keeps the sum as Shewchuk's non-overlapping expansion (J. R. Shewchuk, "Adaptive
//! Precision Floating-Point Arithmetic and Fast Robust Geometric Predicates", Discrete &
//! Computational Geometry 18, 1997): a few `f64` partials whose exact mathematical sum is the
//! exact sum of every value added. Each addition is error-free (two-sum), so the expansion
//! represents the same real number whatever the order, and merging two accumulators is exact.
//! [`ExactSum::value`] rounds that real number once, to nearest with ties to even — the
//! algorithm of Python's `math.fsum` (R. Hettinger's `msum` recipe), whose results the tests
//! reproduce bit for bit.

/// 2ᵏ for a normal exponent k, exactly (the exponent field k + 1023, an empty mantissa).
pub(crate) const fn power_of_two(k: i32) -> f64 {
    f64::from_bits(((k + 1023) as u64) << 52)
}

/// Values at least this large are kept scaled down by 2⁶⁴ (exactly: they are far from the
/// subnormal range), so that no partial sum of fewer than 2⁶³ values can overflow.
const LARGE: f64 = power_of_two(960);
const DOWN: f64 = power_of_two(-64);
const UP: f64 = power_of_two(64);
/// Sums this large or larger are out of range (see [`ExactSum::value`]).
const RANGE: f64 = power_of_two(1022);

/// An exact sum of `f64` values (see the module docs). Its JSON form (the partials) lets
/// partitions send their sums to be merged; reading it adds each partial again, so whatever the
/// text holds, the sum read is a valid expansion (non-finite partials make it undefined).
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(from = "Partials")]
pub struct ExactSum {
    /// Non-overlapping partials of the values below 2⁹⁶⁰ in magnitude.
    small: Vec<f64>,
    /// Non-overlapping partials of the larger values, each scaled by 2⁻⁶⁴.
    large: Vec<f64>,
    /// A value that was not finite.
    invalid: bool,
}

/// [`ExactSum`]'s JSON form as read, before its partials are added again.
#[derive(serde::Deserialize)]
struct Partials {
    #[serde(default)]
    small: Vec<f64>,
    #[serde(default)]
    large: Vec<f64>,
    #[serde(default)]
    invalid: bool,
}

impl From<Partials> for ExactSum {
    fn from(read: Partials) -> Self {
        let mut sum = ExactSum {
            invalid: read.invalid,
            ..ExactSum::default()
        };
        for x in read.small {
            sum.invalid |= !x.is_finite() || !grow(&mut sum.small, x);
        }
        for x in read.large {
            sum.invalid |= !x.is_finite() || !grow(&mut sum.large, x);
        }
        sum
    }
}

/// Adds `x` to the non-overlapping expansion `partials` without error (Shewchuk's grow
/// expansion with zero elimination, as Python's `msum`); `false` if a partial sum overflowed.
fn grow(partials: &mut Vec<f64>, x: f64) -> bool {
    let mut x = x;
    let mut i = 0;
    for k in 0..partials.len() {
        let mut y = partials[k];
        if x.abs() < y.abs() {
            std::mem::swap(&mut x, &mut y);
        }
        let hi = x + y;
        if !hi.is_finite() {
            return false;
        }
        let lo = y - (hi - x);
        if lo != 0.0 {
            partials[i] = lo;
            i += 1;
        }
        x = hi;
    }
    partials.truncate(i);
    partials.push(x);
    true
}

/// The expansion's exact value rounded once to nearest, ties to even (Python's `msum`).
fn round(p: &[f64]) -> f64 {
    let Some(&top) = p.last() else {
        return 0.0;
    };
    // Add the partials from the largest down until the sum is inexact…
    let mut hi = top;
    let mut lo = 0.0;
    let mut n = p.len() - 1;
    while n > 0 {
        let (x, y) = (hi, p[n - 1]);
        n -= 1;
        hi = x + y;
        let yr = hi - x;
        lo = y - yr;
        if lo != 0.0 {
            break;
        }
    }
    // …then correct a tie that rounded the wrong way, as the next partial shows.
    if n > 0 && ((lo < 0.0 && p[n - 1] < 0.0) || (lo > 0.0 && p[n - 1] > 0.0)) {
        let y = lo * 2.0;
        let x = hi + y;
        if y == x - hi {
            hi = x;
        }
    }
    hi
}

impl ExactSum {
    /// An empty sum (0).
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds `x` exactly. A `NaN` or infinite `x` makes the sum undefined ([`ExactSum::value`]
    /// is `None`); skip missing values before adding.
    pub fn add(&mut self, x: f64) {
        if !x.is_finite() {
            self.invalid = true;
        } else if x.abs() >= LARGE {
            // Bounded by 2⁹⁶⁰ after scaling: fewer than 2⁶³ values cannot overflow.
            self.invalid |= !grow(&mut self.large, x * DOWN);
        } else {
            self.invalid |= !grow(&mut self.small, x);
        }
    }

    /// Adds every value of `other` exactly: the result is the sum of both sets of values,
    /// bit for bit the same as adding them all to one accumulator in any order.
    pub fn merge(&mut self, other: &ExactSum) {
        self.invalid |= other.invalid;
        for &p in &other.small {
            self.invalid |= !grow(&mut self.small, p);
        }
        for &p in &other.large {
            self.invalid |= !grow(&mut self.large, p);
        }
    }

    /// The exact sum rounded once to the nearest `f64` (ties to even); `None` when a value was
    /// not finite, or when the sum's magnitude reaches 2¹⁰²² (≈ 4.5e307): so large a sum could
    /// overflow on the way in some orders and not others, and is refused in all of them.
    #[must_use]
    pub fn value(&self) -> Option<f64> {
        if self.invalid {
            return None;
        }
        let mut all = self.small.clone();
        for &p in &self.large {
            // Exact: the large partials are multiples of at least 2⁸⁴⁴ and below 2⁹⁶⁰.
            if !grow(&mut all, p * UP) {
                return None;
            }
        }
        let sum = round(&all);
        (sum.abs() < RANGE).then_some(sum)
    }
}

impl Extend<f64> for ExactSum {
    fn extend<I: IntoIterator<Item = f64>>(&mut self, values: I) {
        for v in values {
            self.add(v);
        }
    }
}

impl FromIterator<f64> for ExactSum {
    fn from_iter<I: IntoIterator<Item = f64>>(values: I) -> Self {
        let mut sum = ExactSum::new();
        sum.extend(values);
        sum
    }
}

/// The exact sum of `values`, rounded once (see [`ExactSum`]).
#[must_use]
pub fn exact_sum(values: &[f64]) -> Option<f64> {
    values.iter().copied().collect::<ExactSum>().value()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sum_read_from_json_is_added_again() {
        let sum: ExactSum =
            serde_json::from_str(r#"{"small": [1e100, 1.0, -1e100, 0.5]}"#).unwrap();
        assert_eq!(sum.value(), Some(1.5));
        let bad: ExactSum =
            serde_json::from_str(r#"{"small": [1.0], "large": [1e308, 1e308]}"#).unwrap();
        assert_eq!(bad.value(), None);
        let sum: ExactSum = [0.1, 0.2, 0.3].into_iter().collect();
        let back: ExactSum = serde_json::from_str(&serde_json::to_string(&sum).unwrap()).unwrap();
        assert_eq!(back, sum);
    }

    #[test]
    fn sums_that_naive_addition_gets_wrong() {
        assert_eq!(exact_sum(&[0.1; 10]), Some(1.0));
        assert_eq!(exact_sum(&[1e100, 1.0, -1e100, 1e-100]), Some(1.0));
        assert_eq!(
            exact_sum(&[1e308, 1e308, -1e308]),
            None,
            "an intermediate overflow"
        );
        assert_eq!(exact_sum(&[]), Some(0.0));
        assert_eq!(exact_sum(&[f64::NAN]), None);
        // A tie at the last bit: 1 + 2⁻⁵³ + 2⁻¹⁰⁶ rounds up, 1 + 2⁻⁵³ to even (down).
        let ulp = f64::EPSILON / 2.0;
        assert_eq!(exact_sum(&[1.0, ulp, ulp * ulp]), Some(1.0 + f64::EPSILON));
        assert_eq!(exact_sum(&[1.0, ulp]), Some(1.0));
    }
}
