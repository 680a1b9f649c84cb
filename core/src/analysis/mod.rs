//! Statistical analysis of indicators and results: correlations and rank comparison measures.

mod correlation;
mod rank_comparison;

pub use correlation::{kendall, pearson, spearman};
pub use rank_comparison::{
    goodman_kruskal_gamma, kendall_tau, spearman_rs, weighted_spearman, ws_coefficient,
};
