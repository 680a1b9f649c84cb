//! Data parallelism that cannot change results: each output is computed by exactly one task, in
//! the same order as serially, so the `parallel` feature changes speed, never bits.

/// Applies `f` to every item, in parallel with the `parallel` feature; results in input order.
pub(crate) fn map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync + Send) -> Vec<R> {
    #[cfg(feature = "parallel")]
    {
        use rayon::prelude::*;
        items.par_iter().map(f).collect()
    }
    #[cfg(not(feature = "parallel"))]
    {
        items.iter().map(f).collect()
    }
}

/// Splits `0..n` into contiguous blocks of at most `size`.
pub(crate) fn blocks(n: usize, size: usize) -> Vec<std::ops::Range<usize>> {
    (0..n.div_ceil(size.max(1)))
        .map(|b| b * size..((b + 1) * size).min(n))
        .collect()
}
