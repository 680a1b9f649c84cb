//! Statistical analysis of indicators and results (OECD/JRC Handbook, step 4): per-indicator
//! statistics, correlations within and between levels, Cronbach's alpha, PCA, effective weights,
//! strengths and weaknesses, "remove one element" sensitivity, rank comparison measures and
//! progress towards targets.

mod overview;
mod rank_comparison;
mod stats;
mod structure;
mod targets;

// Correlations and PCA are computed in `stats`, below the weights that use them too.
pub use crate::stats::{
    CorrelationMethod, Pca, correlation_matrix, cronbach_alpha, kendall, pca, pearson, spearman,
};
pub use overview::{
    Analysis, AnalysisOptions, Correlations, GroupConsistency, IndicatorPca, UnitStandings, analyse,
};
pub use rank_comparison::{
    RankComparison, goodman_kruskal_gamma, kendall_tau, spearman_rs, weighted_spearman,
    ws_coefficient,
};
pub use stats::{IndicatorStats, StatsThresholds, indicator_stats};
pub use structure::{
    CorrelationFlag, NodeCorrelation, RemovalEffect, Standing, correlation_flags,
    effective_weights, level_correlations, pca_weights, remove_elements, sibling_share,
    strengths_and_weaknesses,
};
pub use targets::{TargetProgress, TargetStatus, assess as assess_target, target_progress};
