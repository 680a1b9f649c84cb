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
//! | [`benefit_of_the_doubt`] | each unit's most favourable weights (one linear programme per unit) | Cherchye et al. (2007) |
//!
//! Population (n) standard deviations, as numpy and the reference libraries use.

mod ahp;
mod bod;
mod objective;

pub use ahp::{Ahp, RANDOM_INDEX, ahp};
pub use bod::{BenefitOfTheDoubt, ShareBounds, benefit_of_the_doubt};
pub use objective::{critic, critic_direction_blind, entropy, equal, merec, standard_deviation};

use serde::{Deserialize, Serialize};

use crate::error::MethodError;
use crate::framework::Direction;
use crate::mcda::DecisionMatrix;

/// A weighting method for the children of a node, computed from the children's scores across
/// the units (or, for AHP, from judgements); the JSON form is tagged by `method`.
#[cfg_attr(feature = "typescript", derive(tsify::Tsify), tsify(hashmap_as_object))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "method", rename_all = "snake_case", deny_unknown_fields)]
pub enum Weighting {
    /// Equal weights.
    Equal,
    /// Entropy weights.
    Entropy,
    /// CRITIC, direction-aware (the children's scores are all benefits).
    Critic,
    /// CRITIC without reversing cost criteria, as pymcdm and pyrepo-mcda compute it (the same
    /// as `critic` on a framework's children, which are all benefits).
    CriticDirectionBlind,
    /// Standard-deviation weights.
    StandardDeviation,
    /// MEREC weights.
    Merec,
    /// Squared loadings of the children on their first principal component (OECD/JRC Handbook
    /// §6.1, factor-analysis weighting with one factor). COINr's `get_PCA` reports the signed
    /// loadings themselves ([`crate::analysis::pca_weights`]); squared, they are non-negative and
    /// sum to 1.
    Pca,
    /// AHP from a pairwise-comparison matrix over the children, in framework order.
    Ahp {
        /// The judgements: row i, column j says how much more important child i is than child j.
        pairwise: Vec<Vec<f64>>,
        /// Use the weights even when the consistency ratio exceeds 0.1.
        #[serde(default)]
        accept_inconsistent: bool,
    },
}

impl Weighting {
    /// The weights of `columns` (one per child, scores across units).
    ///
    /// # Errors
    /// The method's errors; for AHP a matrix whose size differs from the number of children.
    pub fn weights(
        &self,
        ids: &[&str],
        columns: &[&[f64]],
        units: &[String],
    ) -> Result<Vec<f64>, MethodError> {
        let matrix = DecisionMatrix::new(
            units.to_vec(),
            ids.iter().map(|&s| s.to_owned()).collect(),
            columns.iter().map(|c| c.to_vec()).collect(),
            vec![Direction::Positive; ids.len()],
            vec![1.0; ids.len()],
        )?;
        self.of_matrix(&matrix)
    }

    /// The weights of a decision matrix's criteria (its directions count for the
    /// direction-aware methods; its weights are ignored).
    ///
    /// # Errors
    /// The method's errors; for AHP a matrix whose size differs from the number of criteria.
    pub fn of_matrix(&self, matrix: &DecisionMatrix) -> Result<Vec<f64>, MethodError> {
        let ids = &matrix.criteria;
        match self {
            Weighting::Equal => Ok(equal(matrix)),
            Weighting::Entropy => entropy(matrix),
            Weighting::Critic => critic(matrix),
            Weighting::CriticDirectionBlind => critic_direction_blind(matrix),
            Weighting::StandardDeviation => standard_deviation(matrix),
            Weighting::Merec => merec(matrix),
            Weighting::Pca => {
                let columns: Vec<&[f64]> = matrix.columns.iter().map(Vec::as_slice).collect();
                let pca =
                    crate::stats::pca(&columns).ok_or_else(|| MethodError::InvalidParameter {
                        method: "PCA weights",
                        reason: "fewer than two complete units, or a constant child".to_owned(),
                    })?;
                Ok(pca.loadings[0].iter().map(|l| l * l).collect())
            }
            Weighting::Ahp {
                pairwise,
                accept_inconsistent,
            } => {
                if pairwise.len() != ids.len() {
                    return Err(MethodError::CountMismatch {
                        method: "AHP",
                        what: "the pairwise matrix",
                        expected: ids.len(),
                        found: pairwise.len(),
                    });
                }
                Ok(ahp(pairwise, *accept_inconsistent)?.weights)
            }
        }
    }
}

/// Which nodes' children a [`Weighting`] applies to: nodes named, or every node of the levels
/// given.
#[cfg_attr(feature = "typescript", derive(tsify::Tsify), tsify(hashmap_as_object))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WeightingRule {
    /// Aggregate levels whose nodes' children are weighted (2 = pillars of indicators).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub levels: Vec<u32>,
    /// Aggregate nodes whose children are weighted (wins over a level rule).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub nodes: Vec<String>,
    /// The method.
    pub weighting: Weighting,
}
