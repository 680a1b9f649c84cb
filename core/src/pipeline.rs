//! The pipeline: framework + data set + recipe → [`Scores`].
//!
//! Stages run in a fixed order: match data columns to indicators, normalise each indicator,
//! aggregate level by level from the indicators up, band the chosen nodes. Ranks follow on
//! demand ([`Scores::rank`]).

use std::collections::HashSet;
use std::sync::OnceLock;

use crate::aggregate::{Children, aggregate_node};
use crate::dataset::Dataset;
use crate::error::{Error, ScoreError};
use crate::framework::Framework;
use crate::normalise::normalise_column;
use crate::recipe::Recipe;
use crate::scores::{BandColumns, ScoredNode, Scores, Warning};

/// Scores every node of `framework` for every unit of `data` as `recipe` says.
///
/// Data columns are matched to indicators by id. A numeric column that no indicator claims
/// and the framework does not declare (as a group, denominator or other column) is ignored and
/// reported in [`Scores::warnings`].
///
/// # Errors
/// - [`ScoreError::NoUnits`], [`ScoreError::SeveralPeriods`], [`ScoreError::MissingColumn`];
/// - invalid recipe parameters or ids ([`Recipe::validate`]), sibling weights summing to zero;
/// - normalisation errors (degenerate columns, missing goalposts or target, values off scale);
/// - aggregation domain errors (a geometric or harmonic mean over a value ≤ 0).
pub fn score(framework: &Framework, data: &Dataset, recipe: &Recipe) -> Result<Scores, Error> {
    recipe.validate(framework)?;
    let n = data.n_units();
    if n == 0 {
        return Err(ScoreError::NoUnits.into());
    }
    let periods = data.distinct_periods();
    if periods.len() > 1 {
        return Err(ScoreError::SeveralPeriods {
            count: periods.len(),
        }
        .into());
    }
    let layout = Layout::new(framework);
    let columns = layout.order.len();
    let mut run = Run {
        framework,
        data,
        recipe,
        layout: &layout,
        score: vec![f64::NAN; n * columns],
        warnings: unclaimed_columns(framework, data),
    };
    run.normalise()?;
    run.aggregate()?;

    let (band_labels, bands) = run.bands();
    let nodes = framework.nodes();
    Ok(Scores {
        units: data.units().to_vec(),
        nodes: layout
            .order
            .iter()
            .map(|&i| ScoredNode {
                id: nodes[i].id.clone(),
                name: nodes[i].name.clone(),
                level: framework.level_of(i),
            })
            .collect(),
        n_indicators: framework.indicator_positions().len(),
        score: run.score,
        ties: recipe.rank.ties,
        rank: (0..columns).map(|_| OnceLock::new()).collect(),
        leaves: layout.leaves(framework),
        coverage: (0..columns).map(|_| OnceLock::new()).collect(),
        band_labels,
        bands,
        warnings: run.warnings,
    })
}

/// Where each node's column sits in the results: indicators first, then aggregates in the
/// order they are computed.
struct Layout {
    order: Vec<usize>,
    column: Vec<usize>,
}

impl Layout {
    fn new(framework: &Framework) -> Self {
        let order: Vec<usize> = framework
            .indicator_positions()
            .iter()
            .copied()
            .chain(framework.aggregate_positions())
            .collect();
        let mut column = vec![0; framework.len()];
        for (j, &i) in order.iter().enumerate() {
            column[i] = j;
        }
        Layout { order, column }
    }

    /// For each column, the columns of the indicators under its node, in input order.
    fn leaves(&self, framework: &Framework) -> Vec<Vec<usize>> {
        fn collect(framework: &Framework, column: &[usize], i: usize, out: &mut Vec<usize>) {
            let kids = framework.children_of(i);
            if kids.is_empty() {
                out.push(column[i]);
            }
            for &c in kids {
                collect(framework, column, c, out);
            }
        }
        self.order
            .iter()
            .map(|&i| {
                let mut out = Vec::new();
                collect(framework, &self.column, i, &mut out);
                out
            })
            .collect()
    }
}

struct Run<'a> {
    framework: &'a Framework,
    data: &'a Dataset,
    recipe: &'a Recipe,
    layout: &'a Layout,
    score: Vec<f64>,
    warnings: Vec<Warning>,
}

impl Run<'_> {
    fn normalise(&mut self) -> Result<(), Error> {
        let n = self.data.n_units();
        let nodes = self.framework.nodes();
        for (j, &i) in self.framework.indicator_positions().iter().enumerate() {
            let id = &nodes[i].id;
            let x = self
                .data
                .column(id)
                .ok_or_else(|| ScoreError::MissingColumn {
                    indicator: id.clone(),
                })?;
            let Some(meta) = nodes[i].as_indicator() else {
                continue;
            };
            if x.iter().all(|v| v.is_nan()) {
                self.warnings.push(Warning::EmptyIndicator {
                    indicator: id.clone(),
                });
                continue;
            }
            let out = &mut self.score[j * n..(j + 1) * n];
            let method = self.recipe.normalisation_of(id);
            normalise_column(method, id, meta, self.data.units(), x, out)?;
        }
        Ok(())
    }

    fn aggregate(&mut self) -> Result<(), Error> {
        let n = self.data.n_units();
        let nodes = self.framework.nodes();
        let column = &self.layout.column;
        for i in self.framework.aggregate_positions() {
            let node = &nodes[i];
            let kids = self.framework.children_of(i);
            let ids: Vec<&str> = kids.iter().map(|&c| nodes[c].id.as_str()).collect();
            let weights: Vec<f64> = kids
                .iter()
                .map(|&c| {
                    let child = &nodes[c];
                    self.recipe
                        .weights
                        .get(&child.id)
                        .copied()
                        .unwrap_or(child.weight)
                })
                .collect();
            if weights.iter().sum::<f64>() == 0.0 {
                return Err(ScoreError::InvalidParameter {
                    method: "weights",
                    reason: format!("the weights of the children of `{}` sum to zero", node.id),
                }
                .into());
            }
            // Children always sit in earlier columns than their parent.
            let j = column[i];
            let (done, rest) = self.score.split_at_mut(j * n);
            let columns: Vec<&[f64]> = kids
                .iter()
                .map(|&c| &done[column[c] * n..(column[c] + 1) * n])
                .collect();
            let children = Children {
                ids: &ids,
                columns: &columns,
                weights: &weights,
            };
            let method = self
                .recipe
                .aggregation_of(&node.id, self.framework.level_of(i));
            let threshold = self.recipe.aggregate.availability_threshold;
            let units = self.data.units();
            aggregate_node(
                method,
                &node.id,
                &children,
                units,
                threshold,
                &mut rest[..n],
            )?;
        }
        Ok(())
    }

    /// The band labels, and for each banded node its column and each unit's band.
    fn bands(&self) -> (Vec<String>, BandColumns) {
        let Some(banding) = &self.recipe.banding else {
            return (Vec::new(), Vec::new());
        };
        let n = self.data.n_units();
        let targets: Vec<usize> = if banding.nodes.is_empty() {
            self.framework.roots()
        } else {
            banding
                .nodes
                .iter()
                .filter_map(|id| self.framework.position(id))
                .collect()
        };
        let bands = targets
            .into_iter()
            .map(|i| {
                let j = self.layout.column[i];
                let b = self.score[j * n..(j + 1) * n]
                    .iter()
                    .map(|&s| banding.band_of(s))
                    .collect();
                (j, b)
            })
            .collect();
        let labels = banding.bands.iter().map(|b| b.label.clone()).collect();
        (labels, bands)
    }
}

fn unclaimed_columns(framework: &Framework, data: &Dataset) -> Vec<Warning> {
    let claimed: HashSet<&str> = framework
        .indicator_ids()
        .chain(framework.data_columns().iter().map(|c| c.id.as_str()))
        .collect();
    data.column_ids()
        .iter()
        .filter(|c| !claimed.contains(c.as_str()))
        .map(|c| Warning::UnclaimedColumn { column: c.clone() })
        .collect()
}
