//! Statistics that merge: what a fitted model takes from each indicator column, summarised per
//! partition and merged into the population's, with the same bits however the units were
//! partitioned. Counts and extremes merge trivially, sums exactly ([`ExactSum`]), reference
//! values by sorting. A z-score needs a second pass: the squared deviations from the merged
//! mean, summed exactly.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::dataset::Dataset;
use crate::error::{Error, ScoreError};
use crate::framework::Framework;
use crate::normalise::{Normalisation, NormalisationFit};
use crate::recipe::Recipe;
use crate::stats::ExactSum;

/// One indicator column's mergeable statistics, of its signed values (times the direction).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ColumnSummary {
    /// Present values.
    pub count: usize,
    /// The least and greatest present raw values.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extremes: Option<(f64, f64)>,
    /// Σ of the signed values (z-score).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sum: Option<ExactSum>,
    /// Σ (signed value − mean)², the mean being the merged one (z-score, second pass).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub squares: Option<ExactSum>,
    /// The present signed values, ascending (rank-based methods).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub values: Option<Vec<f64>>,
}

/// The statistics of every indicator a recipe normalises from the data, for one partition or,
/// merged, for the population.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    /// Units summarised.
    pub units: usize,
    /// Indicator id → its statistics.
    pub columns: BTreeMap<String, ColumnSummary>,
}

/// Summarises the prepared indicator columns of the units of `data` (aggregates such as the EU
/// left out, as [`fit`](super::fit) leaves them) for `recipe`'s normalisations. With
/// `means` (indicator → the merged mean of its signed values) it also sums the squared
/// deviations from them: the second pass of a z-score.
///
/// # Errors
/// [`ScoreError::MissingColumn`] for an indicator the data lack.
pub fn summarise(
    framework: &Framework,
    recipe: &Recipe,
    data: &Dataset,
    means: Option<&BTreeMap<String, f64>>,
) -> Result<Summary, Error> {
    let units_only = crate::pipeline::without_aggregates(framework, data);
    let data = units_only.as_ref().unwrap_or(data);
    let mut columns = BTreeMap::new();
    let nodes = framework.nodes();
    for &i in framework.indicator_positions() {
        let id = &nodes[i].id;
        let Some(meta) = nodes[i].as_indicator() else {
            continue;
        };
        let x = data.column(id).ok_or_else(|| ScoreError::MissingColumn {
            indicator: id.clone(),
        })?;
        let sign = meta.direction.sign();
        let method = recipe.normalisation_of(id);
        let signed = x.iter().filter(|v| !v.is_nan()).map(|v| sign * v);
        let mut summary = ColumnSummary {
            count: x.iter().filter(|v| !v.is_nan()).count(),
            extremes: crate::stats::min_max(x),
            ..ColumnSummary::default()
        };
        if matches!(method, Normalisation::ZScore { .. }) {
            summary.sum = Some(signed.clone().collect());
            if let Some(&mean) = means.and_then(|m| m.get(id)) {
                summary.squares = Some(signed.clone().map(|v| (v - mean) * (v - mean)).collect());
            }
        }
        if method.needs_reference() {
            let mut values: Vec<f64> = signed.collect();
            values.sort_by(f64::total_cmp);
            summary.values = Some(values);
        }
        columns.insert(id.clone(), summary);
    }
    Ok(Summary {
        units: data.n_units(),
        columns,
    })
}

/// Whether `recipe` takes from the data only each indicator's count and extremes (no method
/// sums or ranks values): then a [`Summary`] can be built from those alone
/// ([`Summary::from_extremes`]), by any engine's exact minimum, maximum and count.
#[must_use]
pub fn extremes_suffice(framework: &Framework, recipe: &Recipe) -> bool {
    framework.indicator_ids().all(|id| {
        let method = recipe.normalisation_of(id);
        !method.needs_reference() && !matches!(method, Normalisation::ZScore { .. })
    })
}

impl Summary {
    /// A summary of `units` units from each indicator's count of present values and their
    /// least and greatest raw values (`None` without values), for a recipe whose statistics are
    /// only these ([`extremes_suffice`]).
    ///
    /// # Errors
    /// A recipe that needs more ([`ScoreError::InvalidParameter`]), extremes out of order or
    /// not finite.
    pub fn from_extremes(
        framework: &Framework,
        recipe: &Recipe,
        units: usize,
        columns: BTreeMap<String, (usize, Option<(f64, f64)>)>,
    ) -> Result<Summary, ScoreError> {
        let invalid = |reason: String| ScoreError::InvalidParameter {
            method: "summary",
            reason,
        };
        if !extremes_suffice(framework, recipe) {
            return Err(invalid(
                "the recipe sums or ranks values (z-score, rank, percentile rank, Borda): \
                 summarise the partitions instead"
                    .to_owned(),
            ));
        }
        let mut summary = Summary {
            units,
            columns: BTreeMap::new(),
        };
        for (id, (count, extremes)) in columns {
            if let Some((min, max)) = extremes
                && !(min.is_finite() && max.is_finite() && min <= max)
            {
                return Err(invalid(format!(
                    "indicator `{id}`: extremes ({min}, {max}) must be finite, least first"
                )));
            }
            let column = ColumnSummary {
                count,
                extremes,
                ..ColumnSummary::default()
            };
            summary.columns.insert(id, column);
        }
        Ok(summary)
    }

    /// Merges `other` into this summary: the statistics of both partitions' units together,
    /// the same bits in any order of merging.
    pub fn merge(&mut self, other: &Summary) {
        self.units += other.units;
        for (id, theirs) in &other.columns {
            let ours = self.columns.entry(id.clone()).or_default();
            ours.count += theirs.count;
            ours.extremes = match (ours.extremes, theirs.extremes) {
                (Some((a, b)), Some((c, d))) => Some((a.min(c), b.max(d))),
                (a, b) => a.or(b),
            };
            merge_sum(&mut ours.sum, theirs.sum.as_ref());
            merge_sum(&mut ours.squares, theirs.squares.as_ref());
            if let Some(values) = &theirs.values {
                let merged = ours.values.get_or_insert_with(Vec::new);
                merged.extend_from_slice(values);
                merged.sort_by(f64::total_cmp);
            }
        }
    }

    /// The merged means of the signed values of the z-scored indicators, for the second pass.
    #[must_use]
    pub fn means(&self) -> BTreeMap<String, f64> {
        self.columns
            .iter()
            .filter_map(|(id, c)| {
                let sum = c.sum.as_ref()?.value()?;
                (c.count > 0).then(|| (id.clone(), sum / c.count as f64))
            })
            .collect()
    }

    /// Whether a second pass is needed: some indicator is z-scored.
    #[must_use]
    pub fn needs_squares(&self) -> bool {
        self.columns.values().any(|c| c.sum.is_some())
    }

    /// The normalisation fit of indicator `id` (method `method`) from the merged statistics:
    /// the numbers [`fit_column`](crate::normalise) takes from the whole column. `None` for an
    /// indicator without values.
    ///
    /// # Errors
    /// A degenerate column (too few values, no spread, sums beyond the finite range).
    pub fn fit_of(
        &self,
        id: &str,
        method: &Normalisation,
    ) -> Result<Option<NormalisationFit>, ScoreError> {
        let Some(c) = self.columns.get(id).filter(|c| c.count > 0) else {
            return Ok(None);
        };
        let degenerate = |reason| ScoreError::DegenerateColumn {
            indicator: id.to_owned(),
            method: method.name(),
            reason,
        };
        let mut fit = NormalisationFit {
            count: c.count,
            extremes: c.extremes,
            moments: None,
            reference: c.values.clone(),
        };
        if let Normalisation::ZScore { deviation, .. } = method {
            let ddof = usize::from(*deviation == crate::normalise::Deviation::Sample);
            let mean = c
                .sum
                .as_ref()
                .and_then(ExactSum::value)
                .ok_or(degenerate("the sum of its values leaves the finite range"))?
                / c.count as f64;
            let squares = c
                .squares
                .as_ref()
                .and_then(ExactSum::value)
                .ok_or(degenerate(
                    "the sum of its squared deviations leaves the finite range",
                ))?;
            if c.count <= ddof {
                return Err(degenerate(
                    "the column has too few values for a standard deviation",
                ));
            }
            let sd = (squares / (c.count - ddof) as f64).sqrt();
            if sd == 0.0 {
                return Err(degenerate("the column is constant (standard deviation 0)"));
            }
            fit.moments = Some((mean, sd));
        }
        Ok(Some(fit))
    }
}

fn merge_sum(ours: &mut Option<ExactSum>, theirs: Option<&ExactSum>) {
    if let Some(theirs) = theirs {
        ours.get_or_insert_with(ExactSum::new).merge(theirs);
    }
}
