//! The innermost loops of the cityindex pipeline: a column's bounds, min-max rescaling and
//! the weighted sums of arithmetic means.
//!
//! They live in a crate of their own for one reason: Cargo sets optimisation levels per crate.
//! The WebAssembly package is built for size (opt-level "z", which neither unrolls nor
//! vectorises), except for this crate (`[profile.wasm-release.package.cityindex-kernels]`), where
//! the loops that touch every value of a data set spend their time. Native builds optimise
//! everything alike.
//!
//! Every function is plain arithmetic on `f64` slices in a documented order, so the bits are the
//! same at every optimisation level and on every platform: no fused multiply-add (Rust never
//! contracts `a * b + c`), no reassociation. The functions are not generic and not `#[inline]`:
//! either would compile them in the calling crate, at its optimisation level.

#![no_std]

extern crate alloc;

use alloc::vec::Vec;

/// The smallest and largest value of `x` that is not `NaN`; `None` when there is none.
///
/// Comparisons with `NaN` are false, so missing values never replace a bound. Eight running
/// bounds, merged at the end, let the loop vectorise: the least and greatest values are the
/// same in any order of comparison (of 0.0 and −0.0, which compare equal, the order decides
/// which is kept; the order is fixed, so every platform keeps the same one).
#[must_use]
pub fn min_max(x: &[f64]) -> Option<(f64, f64)> {
    const LANES: usize = 8;
    let lower = |b: f64, v: f64| if v < b { v } else { b };
    let upper = |b: f64, v: f64| if v > b { v } else { b };
    let (mut lo, mut hi) = ([f64::INFINITY; LANES], [f64::NEG_INFINITY; LANES]);
    let (chunks, rest) = x.as_chunks::<LANES>();
    for chunk in chunks {
        for k in 0..LANES {
            lo[k] = lower(lo[k], chunk[k]);
            hi[k] = upper(hi[k], chunk[k]);
        }
    }
    let lo = lo
        .iter()
        .chain(rest)
        .fold(f64::INFINITY, |b, &v| lower(b, v));
    let hi = hi
        .iter()
        .chain(rest)
        .fold(f64::NEG_INFINITY, |b, &v| upper(b, v));
    (lo <= hi).then_some((lo, hi))
}

/// COINr's `n_minmax` formula, `(v − min)/(max − min)·(hi − lo) + lo`, in its operation order,
/// of `sign · v` (`sign` = ±1) for every raw value `v` of `x`, appended to `out` (`NaN` stays
/// `NaN`). `(min, max)` are the bounds of `sign · x`.
pub fn min_max_append(
    x: &[f64],
    sign: f64,
    bounds: (f64, f64),
    range: (f64, f64),
    out: &mut Vec<f64>,
) {
    out.extend(x.iter().map(|&v| rescale(sign * v, bounds, range)));
}

/// [`min_max_append`] into `out` (as long as `x`).
pub fn min_max_into(x: &[f64], sign: f64, bounds: (f64, f64), range: (f64, f64), out: &mut [f64]) {
    for (o, &v) in out.iter_mut().zip(x) {
        *o = rescale(sign * v, bounds, range);
    }
}

/// [`min_max_append`] in place, with `sign` = 1.
pub fn min_max_in_place(x: &mut [f64], bounds: (f64, f64), range: (f64, f64)) {
    for v in x {
        *v = rescale(*v, bounds, range);
    }
}

#[inline]
fn rescale(v: f64, (min, max): (f64, f64), (lo, hi): (f64, f64)) -> f64 {
    (v - min) / (max - min) * (hi - lo) + lo
}

/// Units per block in the weighted sums: eight doubles fill four SSE2 or two AVX registers.
const BLOCK: usize = 8;

/// Adds the products w·x of every column (child) and its weight into each unit's sum `acc`,
/// child after child, so that each unit's sum runs in child order. Units go in blocks of eight
/// whose sums stay in registers while the children are read.
///
/// # Panics
/// If a column is shorter than `acc`.
pub fn add_products(columns: &[&[f64]], weights: &[f64], acc: &mut [f64]) {
    add_products_in_blocks::<false>(columns, weights, acc, &mut [], 0);
}

/// [`add_products`] skipping missing values, with each unit's sum of the weights of its present
/// values in `sw`: a missing value adds +0.0 to both, which leaves any sum started at +0.0
/// unchanged, so the bits are those of skipping it. `acc` and `sw` start at +0.0.
///
/// Blocks of units go through the cheaper loop of [`add_products`] until one meets a missing
/// value, and from that block on through the skipping loop: a block whose sums hold no `NaN` had
/// every value present (a `NaN` value makes its unit's sum `NaN`, and nothing turns a `NaN` sum
/// back), so its sums are the skipping loop's, and its weights' sums are all the weights added in
/// child order. A data set without missing values (the usual case) never pays for skipping
/// them: a quarter of W1 in WebAssembly.
///
/// # Panics
/// If a column or `sw` is shorter than `acc`.
pub fn add_present_products(columns: &[&[f64]], weights: &[f64], acc: &mut [f64], sw: &mut [f64]) {
    let whole = acc.len() - acc.len() % BLOCK;
    let children = columns.len().min(weights.len());
    let total = weights[..children].iter().fold(0.0, |s, &w| s + w);
    let mut start = 0;
    while start < whole {
        let a = plain_block(columns, weights, start);
        if a.iter().any(|v| v.is_nan()) {
            break;
        }
        acc[start..start + BLOCK].copy_from_slice(&a);
        sw[start..start + BLOCK].fill(total);
        start += BLOCK;
    }
    add_products_in_blocks::<true>(columns, weights, acc, sw, start);
}

/// The sums of products of the block of units starting at `start`, child after child.
#[inline]
fn plain_block(columns: &[&[f64]], weights: &[f64], start: usize) -> [f64; BLOCK] {
    let mut a = [0.0; BLOCK];
    for c in 0..columns.len().min(weights.len()) {
        let (x, w) = (&columns[c][start..start + BLOCK], weights[c]);
        for i in 0..BLOCK {
            a[i] += w * x[i];
        }
    }
    a
}

/// The sums of the units from `from` (a multiple of [`BLOCK`]) on.
fn add_products_in_blocks<const MISSING: bool>(
    columns: &[&[f64]],
    weights: &[f64],
    acc: &mut [f64],
    sw: &mut [f64],
    from: usize,
) {
    let n = acc.len();
    let whole = n - n % BLOCK;
    let children = columns.len().min(weights.len());
    for start in (from..whole).step_by(BLOCK) {
        if !MISSING {
            acc[start..start + BLOCK].copy_from_slice(&plain_block(columns, weights, start));
            continue;
        }
        let mut a = [0.0; BLOCK];
        let mut s = [0.0; BLOCK];
        // Indexed rather than zipped: a size-optimised build calls the iterator's `next` for
        // every child of every block otherwise.
        for c in 0..children {
            let (x, w) = (&columns[c][start..start + BLOCK], weights[c]);
            for i in 0..BLOCK {
                let present = !x[i].is_nan();
                a[i] += if present { w * x[i] } else { 0.0 };
                s[i] += if present { w } else { 0.0 };
            }
        }
        acc[start..start + BLOCK].copy_from_slice(&a);
        sw[start..start + BLOCK].copy_from_slice(&s);
    }
    for (col, &w) in columns.iter().zip(weights) {
        for (k, &x) in col.iter().enumerate().skip(whole) {
            if MISSING {
                let present = !x.is_nan();
                acc[k] += if present { w * x } else { 0.0 };
                sw[k] += if present { w } else { 0.0 };
            } else {
                acc[k] += w * x;
            }
        }
    }
}

/// Each unit's weighted arithmetic mean from its sum of products and the sum of its weights:
/// `acc / sw`, or `NaN` where the weights sum to zero (no child present).
pub fn divide(acc: &mut [f64], sw: &[f64]) {
    for (a, &s) in acc.iter_mut().zip(sw) {
        *a = if s == 0.0 { f64::NAN } else { *a / s };
    }
}

/// [`divide`] with the same sum of weights `sw` for every unit.
pub fn divide_by(acc: &mut [f64], sw: f64) {
    for a in acc {
        *a = if sw == 0.0 { f64::NAN } else { *a / sw };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds_skip_missing_values() {
        let x = [
            3.0,
            f64::NAN,
            -1.0,
            7.0,
            2.0,
            0.5,
            9.0,
            4.0,
            1.0,
            f64::NAN,
            -2.0,
        ];
        assert_eq!(min_max(&x), Some((-2.0, 9.0)));
        assert_eq!(min_max(&[f64::NAN, f64::NAN]), None);
        assert_eq!(min_max(&[]), None);
    }

    /// Unit `u`'s sum of products and of weights over its present values, by definition.
    fn skipping_sums(columns: &[Vec<f64>], weights: &[f64], u: usize) -> (f64, f64) {
        let (mut a, mut s) = (0.0, 0.0);
        for (col, &w) in columns.iter().zip(weights) {
            if !col[u].is_nan() {
                a += w * col[u];
                s += w;
            }
        }
        (a, s)
    }

    #[test]
    fn blocked_sums_are_sums_in_child_order() {
        // 19 units: two blocks and a remainder.
        let columns: Vec<Vec<f64>> = (0..3)
            .map(|c| {
                (0..19)
                    .map(|u| {
                        if (u + c) % 5 == 0 {
                            f64::NAN
                        } else {
                            0.1 * f64::from(u * 7 + c)
                        }
                    })
                    .collect()
            })
            .collect();
        let refs: Vec<&[f64]> = columns.iter().map(Vec::as_slice).collect();
        let weights = [0.3, 1.7, 0.9];
        let (mut acc, mut sw) = (alloc::vec![0.0; 19], alloc::vec![0.0; 19]);
        add_present_products(&refs, &weights, &mut acc, &mut sw);
        let mut means = acc.clone();
        divide(&mut means, &sw);
        for u in 0..19 {
            let (a, s) = skipping_sums(&columns, &weights, u);
            assert_eq!(
                (acc[u].to_bits(), sw[u].to_bits()),
                (a.to_bits(), s.to_bits())
            );
            assert_eq!(means[u].to_bits(), (a / s).to_bits());
        }
        // Without missing values: the same sums, and one weight total for every unit.
        let complete: Vec<Vec<f64>> = columns
            .iter()
            .map(|c| {
                c.iter()
                    .map(|v| if v.is_nan() { 1.5 } else { *v })
                    .collect()
            })
            .collect();
        let refs: Vec<&[f64]> = complete.iter().map(Vec::as_slice).collect();
        let mut acc = alloc::vec![0.0; 19];
        add_products(&refs, &weights, &mut acc);
        divide_by(&mut acc, 2.9);
        for u in 0..19 {
            let a = complete
                .iter()
                .zip(&weights)
                .fold(0.0, |a, (c, &w)| a + w * c[u]);
            assert_eq!(acc[u].to_bits(), (a / 2.9).to_bits());
        }
        let mut none = [1.0, 2.0];
        divide(&mut none, &[0.0, 0.0]);
        assert!(none.iter().all(|v| v.is_nan()));
    }

    #[test]
    fn sums_skipping_missing_values_switch_loops_at_the_first_missing_value() {
        // 43 units: five blocks and a remainder. Missing values first in the third block, then
        // only in the remainder, then nowhere, then everywhere in one unit; and products that
        // overflow to a NaN sum without a missing value.
        let base = |c: usize, u: usize| 0.37 * (u * 11 + c * 5) as f64 - 3.0;
        let cases: [&dyn Fn(usize, usize) -> f64; 5] = [
            &|c, u| {
                if u == 21 && c == 1 {
                    f64::NAN
                } else {
                    base(c, u)
                }
            },
            &|c, u| if u == 41 { f64::NAN } else { base(c, u) },
            &base,
            &|c, u| {
                if u == 9 || (u == 30 && c == 2) {
                    f64::NAN
                } else {
                    base(c, u)
                }
            },
            &|c, u| {
                if u == 12 {
                    [f64::MAX, -f64::MAX, 1.0][c]
                } else {
                    base(c, u)
                }
            },
        ];
        let weights = [1.5, 1.7, 0.9];
        for value in cases {
            let columns: Vec<Vec<f64>> = (0..3)
                .map(|c| (0..43).map(|u| value(c, u)).collect())
                .collect();
            let refs: Vec<&[f64]> = columns.iter().map(Vec::as_slice).collect();
            let (mut acc, mut sw) = (alloc::vec![0.0; 43], alloc::vec![0.0; 43]);
            add_present_products(&refs, &weights, &mut acc, &mut sw);
            for u in 0..43 {
                let (a, s) = skipping_sums(&columns, &weights, u);
                assert_eq!(
                    (acc[u].to_bits(), sw[u].to_bits()),
                    (a.to_bits(), s.to_bits()),
                    "unit {u}"
                );
            }
        }
    }
}
