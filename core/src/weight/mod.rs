//! Weighting: deriving weights from the data (entropy, CRITIC, standard deviation, MEREC), from
//! judgements (AHP), or taking them as given.
//!
//! | method | weights ∝ | reference |
//! |---|---|---|
//! | [`equal`] | 1 | — |
//! | [`entropy`] | 1 − E, E = −Σ p ln p / ln n, p = x/Σx | Shannon; Zeleny (1982); pymcdm `entropy_weights` |
//! | [`critic`] | σ·Σ(1 − r) of the direction-aware min-max scaled data | Diakoulaki, Mavrotas & Papayannakis (1995); scikit-criteria `critic_weights` |
//! | [`critic_direction_blind`] | the same with costs not reversed | pymcdm and pyrepo-mcda `critic_weights` |
//! | [`standard_deviation`] | σ of the raw data | pymcdm `standard_deviation_weights` |
//! | [`merec`] | the removal effect of each criterion on a logarithmic performance measure | Keshavarz-Ghorabaee et al. (2021); pymcdm `merec_weights` |
//! | [`ahp`] | principal eigenvector of a pairwise-comparison matrix | Saaty (1980) |
//!
//! Population (n) standard deviations, as numpy and the reference libraries use.

mod ahp;
mod objective;

pub use ahp::{Ahp, RANDOM_INDEX, ahp};
pub use objective::{critic, critic_direction_blind, entropy, equal, merec, standard_deviation};
